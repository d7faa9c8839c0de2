//! A deterministic generator of synthetic news articles, for scale runs and benchmarks.
//!
//! Articles are built from the lexicons of `data/` (given names, organizations, roles,
//! reporting verbs, places) and sentence templates that exercise the real extraction
//! paths: quotes with speakers, "according to", relay chains ("X reported, citing Y"),
//! figures and ranges, military units, hedges, and filler that mentions nothing. People,
//! units and places are drawn with a skew, so that the same entities recur across
//! articles the way they do in years of news and resolution has work to do.
//!
//! Every article depends only on the seed and its own number, so a corpus can be
//! written in parallel, and article `i` is the same whatever the corpus size.

use crate::extract::lexicon::data_lines;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

const GIVEN_NAMES_TXT: &str = include_str!("../../data/given_names.txt");
const ORGANIZATIONS_TSV: &str = include_str!("../../data/organizations.tsv");
const ROLES_TXT: &str = include_str!("../../data/roles.txt");
const PLACES_TSV: &str = include_str!("../../data/places.tsv");

/// Surnames are a stem and an ending; the lexicons list given names only.
const SURNAME_STEMS: &[&str] = &[
    "Kovalen", "Bondar", "Tkach", "Kravch", "Oliyn", "Shevch", "Polishch", "Lysen", "Moroz",
    "Marchen", "Pavlen", "Savch", "Rudn", "Hrytsen", "Melnych", "Kuzmen", "Voloshyn", "Sydor",
    "Zakhar", "Petr", "Ivan", "Sokol", "Volk", "Lebed", "Orl", "Belous", "Karpen", "Dmytren",
    "Yaremch", "Fedor", "Nazar", "Osypen", "Stepan", "Hordiy", "Tymosh", "Kostyn", "Makar",
    "Romanen", "Vasylen", "Hnatyuk", "Prokop", "Kirill", "Yermol", "Zhuk", "Sav", "Hlib",
];
const SURNAME_ENDINGS: &[&str] = &[
    "enko", "chuk", "ov", "ova", "sky", "ska", "yak", "uk", "ko", "in", "ina", "ych",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: &[&str] = &crate::extract::quantities::MONTH_NAMES;
const UNIT_KINDS: &[&str] = &[
    "Combined Arms Army",
    "Motorized Rifle Division",
    "Motorized Rifle Brigade",
    "Mechanized Brigade",
    "Assault Brigade",
    "Airborne Division",
    "Tank Regiment",
    "Marine Brigade",
    "Artillery Brigade",
];
const DISTRICTS: &[&str] = &[
    "Southern Military District",
    "Western Military District",
    "Central Military District",
    "Eastern Military District",
    "Leningrad Military District",
    "Moscow Military District",
];
const VERBS: &[&str] = &[
    "said",
    "stated",
    "claimed",
    "reported",
    "wrote",
    "announced",
    "told reporters",
    "estimated",
];
const HEDGES: &[&str] = &[
    "The figures could not be independently verified.",
    "The claim could not be independently verified.",
    "Neither side's account could be independently confirmed.",
    "Independent verification remains difficult.",
];
const FILLER: &[&str] = &[
    "The front line has barely moved in recent weeks despite heavy fighting.",
    "Both armies are short of rested men, and rotations have become rare.",
    "Soldiers on both sides describe months without leave and unreliable supplies.",
    "Analysts expect the fighting to intensify once the ground freezes.",
    "Weather has slowed operations along much of the front.",
    "The war has entered its fourth year with no settlement in sight.",
    "Officials did not say how the numbers were collected.",
    "Drone footage shared online appeared to show damaged vehicles along a road.",
    "Residents described the night as the loudest in months.",
    "The region has been under near-constant bombardment since the summer.",
];

/// What a claim sentence says: a predicate with the figure's noun and the topic word.
struct TopicFrame {
    noun: &'static [&'static str],
    predicate: &'static [&'static str],
}

const TOPICS: &[TopicFrame] = &[
    TopicFrame {
        noun: &["soldiers", "servicemen", "conscripts", "troops"],
        predicate: &[
            "had deserted",
            "abandoned their positions",
            "left their units without permission",
            "refused to fight",
            "fled their positions",
        ],
    },
    TopicFrame {
        noun: &["soldiers", "servicemen", "civilians", "people"],
        predicate: &["were killed", "were wounded", "died", "were injured"],
    },
    TopicFrame {
        noun: &["troops", "soldiers", "fighters"],
        predicate: &["withdrew", "pulled back", "retreated"],
    },
    TopicFrame {
        noun: &["square kilometres", "villages", "settlements"],
        predicate: &["were captured", "were recaptured", "were retaken"],
    },
    TopicFrame {
        noun: &["drones", "missiles", "glide bombs", "shells"],
        predicate: &[
            "struck targets",
            "were launched in an overnight attack",
            "hit residential buildings",
        ],
    },
    TopicFrame {
        noun: &["reservists", "men", "conscripts", "recruits"],
        predicate: &[
            "were mobilised",
            "were drafted",
            "were recruited",
            "were called up",
        ],
    },
    TopicFrame {
        noun: &["prisoners", "detainees", "soldiers"],
        predicate: &[
            "were returned in a prisoner exchange",
            "were freed after talks",
            "were swapped under a deal negotiated by mediators",
        ],
    },
];

/// A small, fast, portable PRNG (SplitMix64): the output for a seed never changes,
/// whatever crate versions the project moves to.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `0..n` skewed towards 0: a few entities are named often, most rarely.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The pools articles draw from, read once from the lexicons.
struct Pools {
    given_names: Vec<&'static str>,
    outlets: Vec<&'static str>,
    bodies: Vec<&'static str>,
    roles: Vec<&'static str>,
    /// Ukrainian and Russian towns and cities, larger first.
    towns: Vec<&'static str>,
    regions: Vec<&'static str>,
}

static POOLS: LazyLock<Pools> = LazyLock::new(|| {
    let mut outlets = Vec::new();
    let mut bodies = Vec::new();
    for line in data_lines(ORGANIZATIONS_TSV).skip(1) {
        let mut fields = line.split('\t');
        let (Some(name), Some(kind)) = (fields.next(), fields.next()) else {
            continue;
        };
        if kind == "outlet" {
            outlets.push(name);
        } else if kind != "other" {
            bodies.push(name);
        }
    }
    let mut towns: Vec<(u64, &str)> = Vec::new();
    let mut regions = Vec::new();
    for line in data_lines(PLACES_TSV).skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [_, name, kind, _, country, _, _, population, ..] = fields.as_slice() else {
            continue;
        };
        if !matches!(*country, "Ukraine" | "Russia") || name.contains(['(', ',']) {
            continue;
        }
        match *kind {
            // "Kharkiv Oblast" is written "the Kharkiv region" in the templates.
            "region" if *country == "Ukraine" => {
                if let Some(short) = name.strip_suffix(" Oblast") {
                    regions.push(short);
                }
            }
            "city" | "town" => towns.push((population.parse().unwrap_or(0), *name)),
            _ => {}
        }
    }
    // Big places first, so the skewed draw names them most.
    towns.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    Pools {
        given_names: data_lines(GIVEN_NAMES_TXT).collect(),
        outlets,
        bodies,
        roles: data_lines(ROLES_TXT)
            .filter(|r| !r.contains("writer") && !r.contains("reporter"))
            .collect(),
        towns: towns.into_iter().map(|(_, n)| n).collect(),
        regions,
    }
});

/// How many distinct people and units the generator draws from.
const PEOPLE: usize = 20_000;
const UNITS: usize = 400;

/// One generated article: its file name (with extension) and its contents.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthArticle {
    pub file_name: String,
    pub contents: String,
}

/// A person of the generated population: the same number is always the same person,
/// with the same role and body.
fn person(number: usize) -> (String, &'static str, &'static str) {
    let pools = &*POOLS;
    let mut rng = SplitMix64::new(0x5EED_0000 ^ number as u64);
    let given = rng.pick(&pools.given_names);
    let surname = format!("{}{}", rng.pick(SURNAME_STEMS), rng.pick(SURNAME_ENDINGS));
    let role = rng.pick(&pools.roles);
    let body = rng.pick(&pools.bodies);
    (format!("{given} {surname}"), role, body)
}

fn unit(number: usize) -> String {
    let mut rng = SplitMix64::new(0x0417_0000 ^ number as u64);
    let n = 1 + rng.below(200);
    let suffix = match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    format!("{n}{suffix} {}", rng.pick(UNIT_KINDS))
}

/// Villages no gazetteer lists, as front-line reports name them: an invented stem and
/// a toponym ending ("Zelenivka", "Kamianske"), so that scale runs resolve places the
/// extractor finds by their context alone.
fn village(number: usize) -> String {
    const STEMS: &[&str] = &[
        "Zelen",
        "Bilohir",
        "Kamian",
        "Sokolov",
        "Verkhniv",
        "Lozov",
        "Chervonohir",
        "Stavk",
        "Dubrov",
        "Topoliv",
        "Yasnohir",
        "Krutoyar",
    ];
    const ENDINGS: &[&str] = &["ivka", "ske", "ove", "ynka", "e"];
    format!(
        "{}{}",
        STEMS[number % STEMS.len()],
        ENDINGS[number / STEMS.len() % ENDINGS.len()]
    )
}

/// A figure as news writes it: "1,200", "more than 4,500", "between 15,000 and 18,000".
fn figure(rng: &mut SplitMix64) -> String {
    let number = |rng: &mut SplitMix64| -> u64 {
        let magnitude = [10u64, 100, 1_000, 10_000][rng.below(4)];
        magnitude * (1 + rng.below(9) as u64) + rng.below(magnitude as usize) as u64 / 10 * 10
    };
    let written = |n: u64| -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    match rng.below(6) {
        0 => {
            let low = number(rng);
            let high = low + low / 5 + 10;
            format!("between {} and {}", written(low), written(high))
        }
        1 => format!("more than {}", written(number(rng))),
        2 => format!("at least {}", written(number(rng))),
        3 => format!("about {}", written(number(rng))),
        _ => written(number(rng)),
    }
}

/// Writes one article of a corpus.
pub fn article(seed: u64, index: usize) -> SynthArticle {
    let pools = &*POOLS;
    let mut rng = SplitMix64::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ index as u64);
    let outlet = *rng.pick(&pools.outlets);
    let topic_index = rng.below(TOPICS.len());
    let town = pools.towns[rng.skewed(pools.towns.len())];
    let region = *rng.pick(&pools.regions);
    let month = *rng.pick(MONTHS);
    let year = 2022 + rng.below(4);
    let title = format!(
        "{} near {town}: what {} sources say",
        ["Heavy fighting", "New figures", "Fresh claims", "Reports"][rng.below(4)],
        ["Ukrainian", "Russian", "Western"][rng.below(3)]
    );

    let mut body = String::with_capacity(3000);
    let mut paragraph_len = 0;
    while body.len() < 2200 {
        let sentence = sentence(&mut rng, topic_index, town, region, month, year);
        body.push_str(&sentence);
        paragraph_len += 1;
        if paragraph_len >= 2 + rng.below(3) {
            body.push_str("\n\n");
            paragraph_len = 0;
        } else {
            body.push(' ');
        }
    }
    let body = body.trim_end();
    let day = 1 + rng.below(28);
    let date = format!(
        "{year}-{:02}-{day:02}",
        MONTHS.iter().position(|m| *m == month).unwrap_or(0) + 1
    );
    let (extension, contents) = match rng.below(10) {
        0..=6 => ("txt", format!("{title}\n{body}\n")),
        7 | 8 => (
            "md",
            format!(
                "---\ntitle: \"{title}\"\noutlet: {outlet}\ndate: {date}\nurl: https://example.org/{index}\n---\n\n{body}\n"
            ),
        ),
        _ => {
            let mut html = format!(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} | {outlet}</title>\n<meta property=\"og:site_name\" content=\"{outlet}\">\n</head>\n<body>\n<nav><a href=\"/\">Home</a> | <a href=\"/ukraine\">Ukraine</a></nav>\n<article>\n<h1>{title}</h1>\n"
            );
            for paragraph in body.split("\n\n") {
                let _ = writeln!(html, "<p>{paragraph}</p>");
            }
            html.push_str("</article>\n</body>\n</html>\n");
            ("html", html)
        }
    };
    SynthArticle {
        file_name: format!("{:03}/article_{index:07}.{extension}", index / 1000),
        contents,
    }
}

/// One sentence of an article: most carry a claim, some are hedges or filler.
fn sentence(
    rng: &mut SplitMix64,
    topic_index: usize,
    town: &str,
    region: &str,
    month: &str,
    year: usize,
) -> String {
    let pools = &*POOLS;
    // Most claims stay on the article's topic; some stray, as real articles do.
    let topic = if rng.chance(75) {
        &TOPICS[topic_index]
    } else {
        rng.pick(TOPICS)
    };
    let noun = rng.pick(topic.noun);
    let predicate = rng.pick(topic.predicate);
    let place = if rng.chance(60) {
        town.to_string()
    } else {
        pools.towns[rng.skewed(pools.towns.len())].to_string()
    };
    let (name, role, body) = person(rng.skewed(PEOPLE));
    let surname = name.rsplit(' ').next().unwrap_or_default().to_string();
    let unit_name = unit(rng.skewed(UNITS));
    let outlet = rng.pick(&pools.outlets);
    let other_outlet = rng.pick(&pools.outlets);
    let source_name = *rng.pick::<&str>(&pools.bodies);
    let source_body = with_article(source_name);
    let body = with_article(body);
    let verb = rng.pick(VERBS);
    let weekday = rng.pick(WEEKDAYS);
    let amount = figure(rng);
    // About half the sentences carry a figure and a source, as in wire copy; the rest
    // are context, quotes without figures and filler.
    match rng.below(22) {
        0 => format!(
            "\"{} {noun} {predicate} near {place} in the past week,\" said {name}, the {role} of {body}.",
            capitalise(&amount)
        ),
        1 => format!(
            "According to {source_body}, {amount} {noun} {predicate} in the {region} region since {month} {year}."
        ),
        2 => format!(
            "{outlet} reported, citing {source_body}, that {amount} {noun} of the {unit_name} {predicate} near {place}."
        ),
        3 => format!(
            "{name} told {outlet} on {weekday} that {amount} {noun} {predicate} around {place}."
        ),
        4 => format!(
            "{} {name} {verb} that {amount} {noun} {predicate} near {place} in {month}.",
            capitalise(role)
        ),
        5 => format!(
            "{} {verb} on {weekday} that {amount} {noun} {predicate} in the {region} region, {other_outlet} reported.",
            capitalise(&source_body)
        ),
        // One in four names a village no gazetteer lists, south of the place.
        6 if rng.chance(25) => format!(
            "In a statement on Telegram, {source_body} said {amount} {noun} from the {unit_name} {predicate} in the village of {}, south of {place}.",
            village(rng.skewed(60))
        ),
        6 => format!(
            "In a statement on Telegram, {source_body} said {amount} {noun} from the {unit_name} {predicate} near {place}."
        ),
        7 => format!(
            "{name}, a {role} for {body}, wrote on X that {amount} {noun} {predicate} near {place}, although the figure could not be verified."
        ),
        8 => format!(
            "The {unit_name} of the {} has been fighting near {place} since {month}.",
            rng.pick(DISTRICTS)
        ),
        9 => format!(
            "{surname} added that the {unit_name} had suffered heavy losses in the {region} region."
        ),
        10 => rng.pick(HEDGES).to_string(),
        11 => format!(
            "{other_outlet}, citing {outlet}, said {amount} {noun} {predicate} near {place}, as cited by {}.",
            rng.pick(&pools.outlets)
        ),
        12 => format!(
            "\"We are holding our positions and will not give up {place},\" {name} said."
        ),
        13 => format!(
            "{place} lies about {} kilometres from the front line, in the {region} region.",
            10 + rng.below(90)
        ),
        14 => format!("{outlet} has reported from the {region} region since {year}."),

        _ => rng.pick(FILLER).to_string(),
    }
}

/// "the Kremlin", "the State Duma", but "NATO" and "Akhmat" alone.
fn with_article(name: &str) -> String {
    let bare = name.chars().all(|c| c.is_ascii_uppercase()) || name.split(' ').count() == 1;
    if bare && name != "Kremlin" && name != "Pentagon" {
        name.to_string()
    } else {
        format!("the {name}")
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes articles `0..count` under `out` (in numbered subfolders of a thousand each),
/// in parallel; returns the bytes written.
pub fn write_corpus(out: &Path, count: usize, seed: u64) -> std::io::Result<u64> {
    use rayon::prelude::*;
    (0..count)
        .into_par_iter()
        .map(|index| {
            let article = article(seed, index);
            let path = out.join(&article.file_name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &article.contents)?;
            Ok(article.contents.len() as u64)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_article_and_another_seed_another() {
        assert_eq!(article(7, 42), article(7, 42));
        assert_ne!(article(7, 42).contents, article(8, 42).contents);
        assert_ne!(article(7, 42).contents, article(7, 43).contents);
    }

    #[test]
    fn articles_are_about_the_requested_size_and_name_entities() {
        let sizes: Vec<usize> = (0..50).map(|i| article(1, i).contents.len()).collect();
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((2000..3200).contains(&mean), "mean size {mean}");
        let text: String = (0..50).map(|i| article(1, i).contents).collect();
        for needle in [
            "according to",
            "reported, citing",
            "told",
            "Brigade",
            "region",
            "the village of",
        ] {
            assert!(
                text.to_lowercase().contains(&needle.to_lowercase()),
                "{needle}"
            );
        }
    }
}
