"""Issue 19, part 3: the rule classes worked on before held-out part 3 was scored, pinned with sentences
written for these tests (in no evaluation set), and the CLI's ``--heldout3`` hash check.

One test per class: chapter choice when a product word spans chapters, material + good terms of the
nomenclature, words that are no goods, rates paired with countries, country lists and origin phrases,
reasons, effects, relief sought and scope clauses kept out of the measure, conditions, events.
"""

from __future__ import annotations

import hashlib

import pytest
from typer.testing import CliRunner

from tradesim.cli.main import app
from tradesim.errors import NewsEvaluationError, NewsInputError, TradesimError
from tradesim.news import extract


def _measures(text, published="2025-07-08"):
    return [m for m in extract(text, published=published).measures if m.modality in {"historical", "future"}]


# -- products: the chapter that names the good, materials, words that are no goods ----------------------------
def test_a_word_spanning_chapters_takes_the_chapter_whose_headings_name_it():
    m, = _measures("Ghana banned imports of meat from Brazil on Monday.")
    assert m.hs_chapters == ["02"]  # "Meat and edible meat offal", not 16 "Preparations of meat"
    m, = _measures("Peru suspended imports of fish from Ecuador on Monday.")
    assert m.hs_chapters == ["03"]


def test_material_and_good_terms_come_from_the_nomenclature():
    m, = _measures("Colombia imposed anti-dumping duties on steel pipes from Mexico on Monday.")
    assert m.hs_chapters == ["73"]  # "Tubes, pipes and hollow profiles ... of iron or steel"
    m, = _measures("Chile imposed a 12% tariff on aluminum foil from China on Monday.")
    assert m.hs_chapters == ["76"] and m.rate.new == pytest.approx(0.12)  # US spelling of "Aluminium foil"


def test_units_verbs_reports_and_modifiers_are_no_goods():
    m, = _measures("Norway banned imports of Russian crude oil on Monday, with a cap of $50 a barrel.")
    assert m.hs_chapters == ["27"]  # "a barrel" is a unit
    m, = _measures("Kenya raised the import duty on crude edible oils to 25% on Monday.")
    assert m.hs_chapters == ["15"]  # "crude" qualifies the oils
    ms = _measures("Washington will levy 30% on imports from Peru and 20% on Chilean goods, the letters said.")
    assert all(not m.products for m in ms)  # "the letters said": no goods


# -- rates paired with countries; lists of countries ----------------------------------------------------------
def test_rates_pair_with_the_countries_after_each():
    ms = _measures("Washington will levy 30% on imports from Peru, 25% on Chilean goods and 36% on products "
                   "from Bolivia and Paraguay, the letters said.")
    got = {(m.rate.new * 100, tuple(m.affected)) for m in ms}
    assert got == {(30.0, ("PER",)), (25.0, ("CHL",)), (36.0, ("BOL", "PRY"))}
    assert all(m.implementer == "USA" for m in ms)


def test_a_list_of_implementers_counts_from_its_head():
    ms = _measures("Chile, Peru and Ecuador suspended imports of poultry from Argentina on Monday.")
    assert sorted(m.implementer for m in ms) == ["CHL", "ECU", "PER"]
    assert all(m.affected == ["ARG"] for m in ms)


def test_destination_and_origin_phrases_name_the_roles():
    m, = _measures("Tariffs on Mexican trucks exported to Canada will fall to 5% from 10% on Monday.")
    assert (m.implementer, m.affected) == ("CAN", ["MEX"])
    m, = _measures("Peru will suspend its tariffs on U.S.-made tractors from Monday.")
    assert m.affected == ["USA"]
    m, = _measures("Steel shipped from Peru became subject to U.S. tariffs of 25 percent on Monday.")
    assert (m.implementer, m.affected) == ("USA", ["PER"])


def test_a_firm_of_a_country_on_an_entity_list_makes_that_country_affected():
    m, = _measures("Singapore has added Russia's Gazprom to its export control entity list, the ministry said.")
    assert (m.implementer, m.affected) == ("SGP", ["RUS"])


# -- reasons, effects, relief sought, scope and kept measures are no measures -------------------------------------
@pytest.mark.parametrize("text", [
    "Shares of Korean shipbuilders fell on Monday as investors weighed the hit from Washington's 30% levy on ships.",
    "Peru's trade minister flew to Washington for talks, seeking relief from U.S. copper tariffs.",
    "Tariffs are a tax on consumers, not on foreign firms, a group of economists wrote.",
    "Chile will file a complaint with the World Trade Organization over Peru's new duties on Chilean apples.",
    "Vietnam said the U.S. anti-dumping duties on its catfish were unfair.",
    "Canada removed its counter-tariffs on U.S. consumer goods, but the counter-tariffs on U.S. steel stay in place.",
])
def test_no_measure_in_effects_relief_complaints_and_kept_measures(text):
    ms = _measures(text)
    assert not ms or all(m.direction == "liberalising" for m in ms)  # the removal is the only measure allowed


def test_a_reason_after_saying_keeps_its_goods_and_triggers_out():
    m, = _measures("Peru suspended imports of fish from Ecuador on Monday, saying it had found banned "
                   "antibiotics and drug residues.")
    assert m.hs_chapters == ["03"] and m.affected == ["ECU"]


def test_the_parties_of_a_deal_are_not_the_measures():
    m, = _measures("Tariffs on British whisky exported to India will fall to 75% from 150% under a trade deal "
                   "announced by Prime Minister Keir Starmer and Prime Minister Narendra Modi on Thursday.")
    assert (m.implementer, m.affected) == ("IND", ["GBR"])


def test_a_quota_inside_a_tariff_is_no_measure_of_its_own():
    ms = _measures("Peru will impose safeguard measures on steel imports from Monday, with tariff-rate quotas "
                   "above which a 20% duty applies.")
    assert [m.instrument for m in ms] == ["safeguard"]


# -- conditions, threats and calls --------------------------------------------------------------------------------
def test_a_readied_list_under_a_later_condition_is_a_threat():
    x = extract("Canada has readied tariffs on C$20 billion of U.S. goods, from motorcycles to bourbon. They will "
                "be applied only if no deal is reached by Aug. 1, officials said.", published="2025-07-08")
    assert not [m for m in x.measures if m.modality in {"historical", "future"}]


def test_a_measure_taken_stays_taken_when_its_later_step_is_conditional():
    m, = _measures("Peru imposed provisional anti-dumping duties of 12% on Chinese tiles on Monday, rising to 40% "
                   "in June unless the two sides reach a deal.")
    assert m.instrument == "anti_dumping" and m.rate.new == pytest.approx(0.12)


def test_a_call_to_lift_is_no_measure():
    assert not _measures("Peru's neighbours should lift their bans on its potatoes, the Andean Community said.")


# -- instruments ------------------------------------------------------------------------------------------------
def test_two_remedies_named_together_are_two_measures_unless_totalled():
    ms = _measures("Peru imposed anti-dumping and countervailing duties of up to 40% on Chinese tiles on Monday.")
    assert sorted(m.instrument for m in ms) == ["anti_dumping", "countervailing"]
    ms = _measures("Peru imposed anti-dumping and anti-subsidy duties totalling 40% on Chinese tiles on Monday.")
    assert len(ms) == 1


def test_an_export_duty_restricts_exports_with_its_rate():
    m, = _measures("Ghana imposed a 15% export duty on cocoa beans on Monday.")
    assert (m.instrument, m.flow, m.rate.new) == ("export_control", "export", pytest.approx(0.15))
    m, = _measures("Peru added copper and zinc to its export licensing regime on Monday.")
    assert m.instrument == "export_licensing"
    m, = _measures("Peru said exporters will need a licence to ship zinc concentrates abroad from Monday.")
    assert m.instrument == "export_licensing"


# -- events -------------------------------------------------------------------------------------------------------
def test_a_wto_complaint_is_a_consultation_of_the_complainant():
    x = extract("Chile launched a WTO case against Peru on Monday over its duties on apples.", published="2025-07-08")
    assert ("CONSULT", "CHL") in {(e.kind, e.actor) for e in x.events}


def test_pressing_for_a_removal_is_a_request_not_a_measure():
    x = extract("Peru's trade minister will travel to Beijing to press for the removal of tariffs on Peruvian "
                "avocados.", published="2025-07-08")
    assert not [m for m in x.measures if m.modality in {"historical", "future"}]
    assert ("CONSULT", "PER", "CHN") in {(e.kind, e.actor, e.target) for e in x.events}  # the visitor is the actor


# -- errors, the CLI and the held-out hash check ---------------------------------------------------------------------
def test_news_errors_live_in_tradesim_errors():
    import tradesim.news as news

    assert news.NewsInputError is NewsInputError and issubclass(NewsInputError, TradesimError)
    assert news.NewsEvaluationError is NewsEvaluationError and issubclass(NewsEvaluationError, TradesimError)
    with pytest.raises(NewsInputError, match="binary"):
        extract(b"\x00\x01" * 40)


def test_cli_says_when_an_english_text_holds_no_measure(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Trade ministers from Peru and Chile met in Lima on Monday to discuss port investment.")
    r = CliRunner().invoke(app, ["news", str(f)])
    assert r.exit_code == 0 and "No trade measures found in this text." in " ".join(r.output.split())


def test_heldout3_is_scored_only_when_its_hash_is_the_frozen_one(tmp_path, monkeypatch):
    from tradesim.news import evaluate

    fake = tmp_path / "wire_heldout3.jsonl"
    fake.write_text('{"id": "x"}\n')
    (tmp_path / "HELDOUT.sha256").write_text(f"{hashlib.sha256(b'other').hexdigest()}  wire_heldout3.jsonl\n")
    monkeypatch.setattr(evaluate, "WIRE_HELDOUT3", fake)
    with pytest.raises(NewsEvaluationError, match="wire_heldout3.jsonl"):
        evaluate.evaluate_sets(heldout3=True)
    r = CliRunner().invoke(app, ["news", "--evaluate", "--heldout3"])
    assert r.exit_code == 2 and "was changed" in r.output


# -- export duties named by their goods, the country a measure hits, the reporter, scope after "though" --------------
def test_a_duty_on_a_states_own_exports_is_an_export_duty():
    m, = _measures("Peru imposed a 30% duty on quinoa exports until Dec. 31.")
    assert (m.instrument, m.implementer, m.rate.new) == ("export_control", "PER", pytest.approx(0.3))
    m, = _measures("Peru imposed a 30% duty on Chilean exports of wine on Monday.")
    assert (m.instrument, m.implementer, m.affected) == ("tariff", "PER", ["CHL"])


def test_the_country_that_faces_a_tariff_is_affected_and_a_reporter_is_no_implementer():
    m, = _measures("Peru faces a 20% tariff on its exports to the United States from Friday.")
    assert (m.implementer, m.affected) == ("USA", ["PER"])
    m, = _measures("Lima said tariffs on Peruvian grapes would be lowered to 5% from 10%.")
    assert (m.implementer, m.affected) == (None, ["PER"])


def test_goods_named_in_a_later_scope_limit_are_not_the_measures():
    m, = _measures("A 40% tariff on zinc imports took effect on Friday, the ministry said, though zinc ore was exempt.")
    assert m.hs_chapters == ["79"]


# -- across sentences: a definite mention is the last measure; a stated cause in the next sentence ---------------
def test_a_definite_mention_in_the_next_sentence_is_the_last_measure():
    x = extract("Peru will stop exports of copper ore from June. The minister said the ban aims to encourage "
                "local smelting.", published="2025-07-08")
    assert [m.instrument for m in x.measures] == ["export_ban"] and x.measures[0].notes
    x = extract("Peru imposed a 30% surtax on Chilean wine in May. The tariffs were matched by similar measures in "
                "Bolivia.", published="2025-07-08")
    assert [(m.implementer, m.affected) for m in x.measures] == [("PER", ["CHL"])]


def test_the_cause_a_measure_follows_is_no_measure_and_mutual_cuts_are_two():
    ms = _measures("Peru will impose tariffs of 10% on Chilean wine from March 10. The move follows Santiago's "
                   "decision to double its tariff on Peruvian grapes to 20%.")
    assert [(m.implementer, m.affected) for m in ms] == [("PER", ["CHL"])]
    ms = _measures("Peru and Chile have agreed to cut tariffs on each other's wine, the two governments said.")
    assert sorted((m.implementer, tuple(m.affected)) for m in ms) == [("CHL", ("PER",)), ("PER", ("CHL",))]


def test_single_word_goods_of_subheadings_are_products():
    # "Nuts, edible; pistachios, in shell", "Molluscs; octopus, ...": the good a subheading names after its heading
    m, = _measures("Peru banned imports of pistachios and octopus from Chile on Monday.")
    assert m.hs_chapters == ["03", "08"]
    m, = _measures("Peru banned imports of potatoes from Chile on Monday.")
    assert m.hs_chapters == ["07"]  # a heading's own word keeps its heading


@pytest.mark.parametrize("text", [
    "Peru and Chile agreed to resume talks on export controls, officials said.",
    "Lima said it would respond forcefully to any Chilean tariffs on Peruvian grapes.",
    "A Chilean court allowed the tariffs on Peruvian grapes to remain in effect while it hears the case.",
    "Talks between Peru and Chile on a free trade agreement collapsed over beef and sugar quotas.",
])
def test_no_measure_in_resumed_talks_any_tariffs_rulings_and_topics(text):
    assert not _measures(text)


@pytest.mark.parametrize("text", [
    "Chilean grape exports hit a record last year after Peru banned shipments from Ecuador.",
    "Peruvian potato growers lobbied the government to scrap a ban on exports of seed potatoes.",
    "Officials in Lima said copper export restrictions had attracted billions in smelter investment.",
    "A group of Peruvian lawmakers introduced a bill to ban imports of Chilean wine.",
])
def test_no_measure_in_market_causes_lobbying_effects_and_bills(text):
    assert not _measures(text)


def test_a_bill_signed_into_law_is_a_measure():
    m, = _measures("Peru's president signed a bill banning imports of Chilean wine on Monday.")
    assert (m.implementer, m.affected, m.instrument) == ("PER", ["CHL"], "import_ban")


# -- letters with several rates and country lists; the addressee of a letter; a prior stated after -----------------
def test_letters_pair_each_rate_with_its_countries():
    ms = _measures("Peru sent letters on Monday informing Chile and Bolivia that their goods will face 25% tariffs "
                   "from Aug. 1, while Ecuador and Colombia will face 40% and Paraguay and Uruguay 36%.")
    got = sorted((m.rate.new * 100, tuple(sorted(m.affected))) for m in ms)
    assert got == [(25.0, ("BOL", "CHL")), (36.0, ("PRY", "URY")), (40.0, ("COL", "ECU"))]
    assert {m.implementer for m in ms} == {"PER"}
    m, = _measures("Peru said Chile will be charged a 50% tariff on all its exports to Peru from Aug. 1.")
    assert (m.implementer, m.affected, m.rate.new) == ("PER", ["CHL"], pytest.approx(0.5))


def test_a_prior_rate_stated_after_is_the_prior_and_compounds_of_elements_are_chemicals():
    m, = _measures("Peru set a 15 percent tariff on Chilean wine on Monday, down from 27.5 percent.")
    assert (m.rate.new, m.rate.prior) == (pytest.approx(0.15), pytest.approx(0.275))
    m, = _measures("Peru imposed an anti-dumping duty of 20% on Chinese titanium dioxide on Monday.")
    assert m.hs_chapters == ["28"]


# -- passive bans, second objects, rates in order, ", with" rate lists, laws signed, remedy rulings ------------------
def test_goods_barred_from_a_country_are_that_countrys_ban():
    m, = _measures("Chilean grapes, apples and wine will be barred from Peru from Jan. 1, under a list published "
                   "on Tuesday.")
    assert (m.instrument, m.implementer, m.affected, m.hs_chapters) == ("import_ban", "PER", ["CHL"], ["08", "22"])


def test_a_ban_verb_with_two_objects_is_two_measures():
    ms = _measures("Peru on Tuesday banned imports of copper from Chile and exports of luxury goods to Bolivia.")
    assert sorted(m.instrument for m in ms) == ["export_ban", "import_ban"]


def test_products_then_rates_pair_in_order_and_a_with_clause_keeps_its_rates():
    ms = _measures("Zinc and tin shipped from Chile became subject to Peruvian tariffs of 25 percent and 10 percent "
                   "on Friday.")
    assert sorted((m.hs_chapters[0], m.rate.new * 100) for m in ms) == [("79", 25.0), ("80", 10.0)]
    ms = _measures("Peru slapped tariffs on $4 billion of Chilean goods in retaliation for subsidies to LATAM, with a "
                   "15% levy on Chilean aircraft and 25% on products such as wine and salmon.")
    assert sorted((m.rate.new * 100, tuple(m.hs_chapters)) for m in ms) == [(15.0, ("88",)), (25.0, ("03", "22"))]


def test_a_law_signed_and_a_dumping_ruling_are_measures_whatever_a_later_condition_says():
    m, = _measures("Peru's president signed into law a ban on imports of Chilean wine, which takes effect in 90 days, "
                   "with waivers available through 2027 if supplies run short.")
    assert (m.implementer, m.affected) == ("PER", ["CHL"])
    m, = _measures("Peru's trade ministry ruled preliminarily that Chilean wine had been dumped and imposed "
                   "deposits of 50 percent from Monday.")
    assert m.instrument == "anti_dumping" and m.rate.new == pytest.approx(0.5)


def test_suspended_exports_are_a_ban_and_a_countrys_buyers_are_the_importing_side():
    m, = _measures("Peru suspended quinoa exports to ensure domestic supply, the minister said.")
    assert m.instrument == "export_ban"
    m, = _measures("From Monday, Peruvian wine buyers must pay an extra 25% tariff on Chilean cargoes.")
    assert (m.implementer, m.affected) == ("PER", ["CHL"])


@pytest.mark.parametrize("text", [
    "People familiar with the matter said Lima would likely retaliate with tariffs on Chilean wine.",
    "Chile's wine industry has been hit hard by Peruvian duties imposed since 2017.",
    "Chile filed a complaint at the WTO against Peru's surtax on Chilean wine.",
    "The Peruvian government is preparing tariffs of 25% on Chilean cars.",
])
def test_no_measure_in_rumours_effects_complaints_and_preparations(text):
    assert not _measures(text)


def test_a_host_receives_the_visit_and_a_section_232_probe_is_an_investigation():
    x = extract("Peru's president hosted Chile's president in Lima on Tuesday.", published="2025-07-08")
    assert ("CONSULT", "CHL", "PER") in {(e.kind, e.actor, e.target) for e in x.events}
    x = extract("Peru's trade ministry launched an investigation into imports of Chilean wine.", published="2025-07-08")
    assert [(e.kind, e.actor) for e in x.events] == [("INVESTIGATE", "PER")] and not x.measures
