"""The local web dashboard (``tradesim serve``): a FastAPI app over the engine
and the results store. Build it with :func:`tradesim.web.app.create_app`."""
