"""Hostile input: a clear message or an empty result, never a crash or a hang."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from tradesim.cli.main import app
from tradesim.news import NewsInputError, extract, read_article
from tradesim.news.extract import MAX_CHARS

runner = CliRunner()


def test_empty_and_blank_give_an_empty_result():
    for data in ("", "   \n\t ", b""):
        x = extract(data)
        assert not x.measures and not x.events and x.warnings == ["empty article: nothing to extract"]


def test_binary_data_is_refused_with_a_message():
    with pytest.raises(NewsInputError, match="binary"):
        extract(bytes(range(256)) * 40)
    with pytest.raises(NewsInputError, match="not UTF-8"):
        extract(b"\xff\xfe\xfa tariffs on steel \xc3")


def test_five_megabytes_is_refused_fast():
    big = ("China imposed tariffs on US soybeans. " * 140_000)[:5_000_000]
    t0 = time.perf_counter()
    for data in (big, big.encode()):
        with pytest.raises(NewsInputError, match=f"at most {MAX_CHARS:,} characters"):
            extract(data)
    assert time.perf_counter() - t0 < 2.0


def test_other_language_warns_and_finds_nothing():
    fr = ("La Chine a suspendu les importations de produits de la mer japonais après le rejet des eaux "
          "traitées de la centrale de Fukushima.")
    ja = "中国は日本産水産物の輸入を全面的に停止した。"
    for text in (fr, ja):
        x = extract(text, published="2023-08-24")
        assert not x.measures
        assert any("English" in w for w in x.warnings)


def test_html_is_stripped_and_read():
    page = ("<html><head><title>x</title><script>var tariffs = 'on Japan 99%';</script></head><body>"
            "<p>China banned imports of Japanese beef in 2001.</p><div>Subscribe &amp; share</div></body></html>")
    x = extract(page, published="2025-04-21")
    assert "HTML markup removed" in x.warnings[0]
    [m] = x.measures
    assert (m.implementer, m.affected, m.hs_chapters) == ("CHN", ["JPN"], ["02"])
    assert x.text[m.evidence["instrument"].start:m.evidence["instrument"].end] == "banned"
    assert "99%" not in x.text  # script content is gone


def test_bad_published_date_names_the_field():
    with pytest.raises(NewsInputError, match="published date '21/04/2025'"):
        extract("China banned beef.", published="21/04/2025")


def test_cli_messages(tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    r = runner.invoke(app, ["news", str(binary)])
    assert r.exit_code == 2 and "binary" in r.output
    r = runner.invoke(app, ["news", str(tmp_path / "missing.txt")])
    assert r.exit_code == 2 and "cannot read" in r.output
    r = runner.invoke(app, ["news", "-"], input="")
    assert r.exit_code == 0 and "No trade measures found" in r.output
    r = runner.invoke(app, ["news", "--json"], input="<p>Nothing &amp; more</p>")
    assert r.exit_code == 0 and '"measures": []' in r.output


def test_read_article_keeps_offsets_for_curly_quotes():
    text, _ = read_article("Japan\u2019s seafood")
    assert text == "Japan's seafood" and len(text) == len("Japan\u2019s seafood")
