"""The dashboard's routes, one module per part of the API; each has ``register(app, dash)``
(:class:`tradesim.web.http.Dashboard`): pages and static files (:mod:`.pages`), the baselines and
the scenario library (:mod:`.library`), runs and jobs (:mod:`.runs`), figures (:mod:`.figures`),
news drafts (:mod:`.news`)."""
