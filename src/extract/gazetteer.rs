//! Place gazetteer (temporary stand-in with the agreed API; replaced by the GeoNames
//! gazetteer).

use crate::graph::name_key;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Debug)]
pub struct PlaceEntry {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<usize>,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct PlaceContext {
    pub countries: Vec<String>,
    pub regions: Vec<usize>,
}

pub struct Gazetteer {
    entries: Vec<PlaceEntry>,
    keys: HashMap<String, Vec<usize>>,
}

const ROWS: &[(&str, &str, &str, Option<usize>, &str, u64, &str)] = &[
    (
        "C:UA", "Ukraine", "country", None, "Ukraine", 40_000_000, "",
    ),
    (
        "C:RU",
        "Russia",
        "country",
        None,
        "Russia",
        140_000_000,
        "Russian Federation",
    ),
    ("C:MD", "Moldova", "country", None, "Moldova", 2_500_000, ""),
    (
        "R:UA-09",
        "Luhansk",
        "region",
        Some(0),
        "Ukraine",
        2_000_000,
        "Lugansk|Luhansk Oblast",
    ),
    (
        "R:UA-65",
        "Kherson",
        "region",
        Some(0),
        "Ukraine",
        1_000_000,
        "Kherson Oblast",
    ),
    (
        "R:UA-14",
        "Donetsk",
        "region",
        Some(0),
        "Ukraine",
        4_000_000,
        "Donetsk Oblast",
    ),
    (
        "R:UA-23",
        "Zaporizhzhia",
        "region",
        Some(0),
        "Ukraine",
        1_600_000,
        "Zaporozhye",
    ),
    (
        "R:UA-43",
        "Crimea",
        "region",
        Some(0),
        "Ukraine",
        2_000_000,
        "",
    ),
    (
        "R:MD-SN",
        "Transnistria",
        "region",
        Some(2),
        "Moldova",
        400_000,
        "Pridnestrovie",
    ),
    ("P:1", "Kreminna", "town", Some(3), "Ukraine", 18_000, ""),
    ("P:2", "Kalanchak", "town", Some(4), "Ukraine", 9_000, ""),
    ("P:3", "Babenkivka", "village", Some(4), "Ukraine", 300, ""),
    ("P:4", "Orikhiv", "town", Some(6), "Ukraine", 14_000, ""),
    ("P:5", "Siversk", "town", Some(5), "Ukraine", 11_000, ""),
    (
        "P:6",
        "Vovchansk",
        "town",
        Some(0),
        "Ukraine",
        17_000,
        "Volchansk",
    ),
    ("P:7", "Moscow", "city", Some(1), "Russia", 12_000_000, ""),
    ("P:8", "Kyiv", "city", Some(0), "Ukraine", 3_000_000, "Kiev"),
    (
        "X:donbas",
        "Donbas",
        "area",
        Some(0),
        "Ukraine",
        0,
        "Donbass",
    ),
    (
        "R:RU-BEL",
        "Belgorod",
        "region",
        Some(1),
        "Russia",
        1_500_000,
        "",
    ),
    ("P:9", "Sloviansk", "city", Some(5), "Ukraine", 100_000, ""),
    (
        "P:10",
        "Kramatorsk",
        "city",
        Some(5),
        "Ukraine",
        150_000,
        "",
    ),
    ("P:11", "Kherson", "city", Some(4), "Ukraine", 280_000, ""),
    (
        "P:12",
        "Luhansk",
        "city",
        Some(3),
        "Ukraine",
        400_000,
        "Lugansk",
    ),
];

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut entries = Vec::new();
    let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
    for (id, name, kind, parent, country, population, aliases) in ROWS {
        let aliases: Vec<String> = aliases
            .split('|')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        let index = entries.len();
        for form in std::iter::once(name.to_string()).chain(aliases.iter().cloned()) {
            keys.entry(name_key(&form)).or_default().push(index);
        }
        entries.push(PlaceEntry {
            id: id.to_string(),
            name: name.to_string(),
            kind: kind.to_string(),
            parent: *parent,
            country: country.to_string(),
            lat: 0.0,
            lon: 0.0,
            population: *population,
            aliases,
        });
    }
    Gazetteer { entries, keys }
});

pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

impl Gazetteer {
    pub fn lookup(&self, name: &str) -> &[usize] {
        self.keys
            .get(&name_key(name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    pub fn entry(&self, index: usize) -> &PlaceEntry {
        &self.entries[index]
    }
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.entries[index].parent, move |i| self.entries[*i].parent)
    }
    pub fn max_words(&self) -> usize {
        3
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn best_match(&self, name: &str, context: &PlaceContext) -> Option<usize> {
        let rank = |kind: &str| match kind {
            "country" => 0,
            "region" => 1,
            "area" => 2,
            "city" => 3,
            "town" => 4,
            _ => 5,
        };
        self.lookup(name).iter().copied().min_by_key(|i| {
            let e = &self.entries[*i];
            let in_context = context.countries.contains(&e.country)
                || self.ancestors(*i).any(|a| context.regions.contains(&a));
            (!in_context, rank(&e.kind), u64::MAX - e.population)
        })
    }
}
