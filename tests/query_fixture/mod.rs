//! A small hand-built graph that looks like what the extractor makes from a few news
//! articles: three documents, people with roles, the General Staff and the intelligence
//! directorate, outlets, places Luhansk region > Kreminna and Kherson region >
//! Kalanchak, claims of several topics with quantities, a VIA chain, a CONTRADICTS and a
//! CORROBORATES edge. The sentences are written for this test.

use claimgraph::graph::{
    Claim, Edge, EdgeProps, GraphRead, KnowledgeGraph, Node, NodeData, NodeId, OrgKind, RelType,
    Topic,
};

fn named(name: &str, aliases: &[&str], data: NodeData) -> Node {
    Node {
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        data,
    }
}

fn document(graph: &mut KnowledgeGraph, id: &str, title: &str, outlet: &str, date: &str) -> NodeId {
    graph.add_node(named(
        id,
        &[],
        NodeData::Document(Box::new(claimgraph::graph::DocumentData {
            title: Some(title.to_string()),
            outlet: Some(outlet.to_string()),
            author: None,
            date: Some(date.to_string()),
            url: None,
        })),
    ))
}

fn person(graph: &mut KnowledgeGraph, name: &str, aliases: &[&str], roles: &[&str]) -> NodeId {
    graph.add_node(named(
        name,
        aliases,
        NodeData::Person {
            roles: roles.iter().map(|r| r.to_string()).collect(),
        },
    ))
}

fn organization(graph: &mut KnowledgeGraph, name: &str, aliases: &[&str], kind: OrgKind) -> NodeId {
    graph.add_node(named(name, aliases, NodeData::Organization { kind }))
}

fn place(
    graph: &mut KnowledgeGraph,
    name: &str,
    aliases: &[&str],
    kind: &str,
    country: Option<&str>,
) -> NodeId {
    graph.add_node(named(
        name,
        aliases,
        NodeData::Place(Box::new(claimgraph::graph::PlaceData {
            kind: kind.to_string(),
            country: country.map(str::to_string),
            lat: None,
            lon: None,
        })),
    ))
}

fn edge(rel: RelType, props: EdgeProps) -> Edge {
    Edge::with_props(rel, &props)
}

fn plain(rel: RelType) -> Edge {
    Edge::new(rel)
}

struct ClaimSpec<'a> {
    text: &'a str,
    topic: Topic,
    quantity: Option<&'a str>,
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<&'a str>,
    period: Option<&'a str>,
    rule: &'a str,
    sentence: u32,
    start: u32,
}

fn claim(
    graph: &mut KnowledgeGraph,
    spec: ClaimSpec<'_>,
    document: NodeId,
    reporter: Option<NodeId>,
    via: &[NodeId],
    about: &[NodeId],
) -> NodeId {
    let document_id = graph.node(document).name.clone();
    let end = spec.start + spec.text.len() as u32;
    let id = graph.add_node(Node {
        name: spec.text.to_string(),
        aliases: Vec::new(),
        data: NodeData::Claim(Box::new(Claim {
            quote: None,
            topic: spec.topic,
            quantity: spec.quantity.map(str::to_string),
            low: spec.low,
            high: spec.high,
            unit: spec.unit.map(str::to_string),
            period: spec.period.map(str::to_string),
            time: None,
            hedged: false,
            rule: spec.rule.into(),
            document: document_id.as_str().into(),
            sentence: spec.sentence,
            start: spec.start,
            end,
        })),
    });
    if let Some(reporter) = reporter {
        let props = EdgeProps {
            rule: Some(spec.rule.to_string()),
            ..EdgeProps::default()
        };
        graph.add_edge(reporter, id, edge(RelType::Reported, props));
    }
    // Added last-first, so that the VIA order, not insertion order, has to sort them.
    for (i, outlet) in via.iter().enumerate().rev() {
        let props = EdgeProps {
            order: Some(i as u32 + 1),
            ..EdgeProps::default()
        };
        graph.add_edge(id, *outlet, edge(RelType::Via, props));
    }
    for target in about {
        graph.add_edge(id, *target, plain(RelType::About));
    }
    let props = EdgeProps {
        sentence: Some(spec.sentence),
        start: Some(spec.start),
        end: Some(end),
        ..EdgeProps::default()
    };
    graph.add_edge(id, document, edge(RelType::SourcedFrom, props));
    id
}

fn mention(
    graph: &mut KnowledgeGraph,
    entity: NodeId,
    document: NodeId,
    count: u32,
    first_offset: u32,
) {
    let props = EdgeProps {
        count: Some(count),
        first_offset: Some(first_offset),
        ..EdgeProps::default()
    };
    graph.add_edge(entity, document, edge(RelType::MentionedIn, props));
}

/// The fixture graph.
pub fn fixture() -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    let kyiv_independent_doc = document(
        &mut g,
        "kyiv-independent/2023-11-02-desertions.md",
        "Desertions grow on the eastern front",
        "Kyiv Independent",
        "2023-11-02",
    );
    let reuters_doc = document(
        &mut g,
        "reuters/2023-10-20-kreminna.txt",
        "Fighting around Kreminna",
        "Reuters",
        "2023-10-20",
    );
    let tass_doc = document(
        &mut g,
        "tass/2023-12-01-kherson.html",
        "Situation on the Kherson axis",
        "TASS",
        "2023-12-01",
    );

    let ukraine = place(&mut g, "Ukraine", &[], "country", None);
    let russia = place(&mut g, "Russia", &["Russian Federation"], "country", None);
    let luhansk = place(
        &mut g,
        "Luhansk region",
        &["Luhansk Oblast", "Luhansk"],
        "region",
        Some("Ukraine"),
    );
    let kreminna = place(&mut g, "Kreminna", &["Kremennaya"], "town", Some("Ukraine"));
    let kherson = place(
        &mut g,
        "Kherson region",
        &["Kherson Oblast"],
        "region",
        Some("Ukraine"),
    );
    let kalanchak = place(&mut g, "Kalanchak", &[], "village", Some("Ukraine"));
    g.add_edge(kreminna, luhansk, plain(RelType::LocatedIn));
    g.add_edge(luhansk, ukraine, plain(RelType::LocatedIn));
    g.add_edge(kalanchak, kherson, plain(RelType::LocatedIn));
    g.add_edge(kherson, ukraine, plain(RelType::LocatedIn));

    let general_staff = organization(
        &mut g,
        "General Staff of the Armed Forces of Ukraine",
        &["General Staff"],
        OrgKind::Military,
    );
    let hur = organization(
        &mut g,
        "Main Intelligence Directorate",
        &["HUR", "GUR"],
        OrgKind::Intelligence,
    );
    let defence_ministry = organization(
        &mut g,
        "Russian Ministry of Defence",
        &["Russian MoD"],
        OrgKind::Government,
    );
    let administration = organization(
        &mut g,
        "Kherson Regional Military Administration",
        &[],
        OrgKind::Government,
    );
    let reuters = organization(&mut g, "Reuters", &[], OrgKind::Outlet);
    let kyiv_independent = organization(
        &mut g,
        "Kyiv Independent",
        &["The Kyiv Independent"],
        OrgKind::Outlet,
    );
    let tass = organization(&mut g, "TASS", &[], OrgKind::Outlet);

    let army = g.add_node(named(
        "41st Combined Arms Army",
        &["41st Army"],
        NodeData::Unit,
    ));
    let district = g.add_node(named("Central Military District", &[], NodeData::Unit));
    g.add_edge(army, district, plain(RelType::PartOf));

    let syrskyi = person(
        &mut g,
        "Oleksandr Syrskyi",
        &["Syrskyi", "Syrsky"],
        &["commander of the ground forces"],
    );
    let yusov = person(&mut g, "Andriy Yusov", &["Yusov"], &["spokesperson"]);
    let prokudin = person(
        &mut g,
        "Oleksandr Prokudin",
        &["Prokudin"],
        &["regional governor"],
    );
    let affiliation = |role: &str| EdgeProps {
        role: Some(role.to_string()),
        ..EdgeProps::default()
    };
    g.add_edge(
        syrskyi,
        general_staff,
        edge(RelType::AffiliatedWith, affiliation("commander")),
    );
    g.add_edge(
        yusov,
        hur,
        edge(RelType::AffiliatedWith, affiliation("spokesperson")),
    );
    g.add_edge(
        prokudin,
        administration,
        edge(RelType::AffiliatedWith, affiliation("head")),
    );

    let hur_claim = claim(
        &mut g,
        ClaimSpec {
            text: "Ukrainian military intelligence said more than 4,500 Russian soldiers had deserted near Kreminna since the summer.",
            topic: Topic::Desertion,
            quantity: Some("more than 4,500"),
            low: Some(4500.0),
            high: None,
            unit: Some("soldiers"),
            period: None,
            rule: "attribution.said",
            sentence: 3,
            start: 412,
        },
        kyiv_independent_doc,
        Some(hur),
        &[kyiv_independent],
        &[kreminna],
    );
    let yusov_claim = claim(
        &mut g,
        ClaimSpec {
            text: "About 200 Russian soldiers leave their positions in the Luhansk region each month, Yusov told the agency.",
            topic: Topic::Desertion,
            quantity: Some("about 200"),
            low: Some(200.0),
            high: Some(200.0),
            unit: Some("soldiers"),
            period: Some("each month"),
            rule: "attribution.told",
            sentence: 5,
            start: 733,
        },
        reuters_doc,
        Some(yusov),
        &[hur, reuters],
        &[luhansk],
    );
    let moscow_claim = claim(
        &mut g,
        ClaimSpec {
            text: "The Russian defence ministry said no more than 50 servicemen had left their units near Kreminna.",
            topic: Topic::Desertion,
            quantity: Some("no more than 50"),
            low: None,
            high: Some(50.0),
            unit: Some("servicemen"),
            period: None,
            rule: "attribution.said",
            sentence: 2,
            start: 198,
        },
        tass_doc,
        Some(defence_ministry),
        &[tass],
        &[kreminna],
    );
    g.add_edge(moscow_claim, hur_claim, plain(RelType::Contradicts));
    g.add_edge(yusov_claim, hur_claim, plain(RelType::Corroborates));
    claim(
        &mut g,
        ClaimSpec {
            text: "The General Staff reported about 300 Russian troops killed on the Kherson axis over the past day.",
            topic: Topic::Casualties,
            quantity: Some("about 300"),
            low: Some(300.0),
            high: Some(300.0),
            unit: Some("troops"),
            period: Some("over the past day"),
            rule: "attribution.reported",
            sentence: 1,
            start: 0,
        },
        reuters_doc,
        Some(general_staff),
        &[reuters],
        &[kherson],
    );
    claim(
        &mut g,
        ClaimSpec {
            text:
                "Shelling damaged houses in Kalanchak overnight, governor Oleksandr Prokudin wrote.",
            topic: Topic::Strike,
            quantity: None,
            low: None,
            high: None,
            unit: None,
            period: None,
            rule: "attribution.wrote",
            sentence: 4,
            start: 610,
        },
        tass_doc,
        Some(prokudin),
        &[],
        &[kalanchak],
    );
    claim(
        &mut g,
        ClaimSpec {
            text:
                "Ukraine said two Russian companies had abandoned their positions near Kalanchak.",
            topic: Topic::Desertion,
            quantity: Some("two"),
            low: Some(2.0),
            high: Some(2.0),
            unit: Some("companies"),
            period: None,
            rule: "attribution.country_said",
            sentence: 7,
            start: 1020,
        },
        kyiv_independent_doc,
        Some(ukraine),
        &[kyiv_independent],
        &[kalanchak, army],
    );
    claim(
        &mut g,
        ClaimSpec {
            text:
                "Syrskyi said Ukrainian units had pulled back from two villages west of Kreminna.",
            topic: Topic::Withdrawal,
            quantity: Some("two"),
            low: Some(2.0),
            high: Some(2.0),
            unit: Some("villages"),
            period: None,
            rule: "attribution.said",
            sentence: 9,
            start: 1490,
        },
        reuters_doc,
        Some(syrskyi),
        &[reuters],
        &[kreminna, syrskyi],
    );

    for (entity, doc, count, offset) in [
        (hur, kyiv_independent_doc, 2, 412),
        (hur, reuters_doc, 1, 760),
        (yusov, reuters_doc, 2, 733),
        (kreminna, kyiv_independent_doc, 1, 480),
        (kreminna, reuters_doc, 3, 40),
        (kreminna, tass_doc, 1, 270),
        (luhansk, reuters_doc, 1, 790),
        (syrskyi, reuters_doc, 2, 1490),
        (general_staff, reuters_doc, 1, 4),
        (kherson, reuters_doc, 1, 60),
        (kalanchak, tass_doc, 1, 637),
        (kalanchak, kyiv_independent_doc, 1, 1090),
        (prokudin, tass_doc, 1, 680),
        (defence_ministry, tass_doc, 1, 198),
        (ukraine, kyiv_independent_doc, 4, 10),
        (russia, tass_doc, 2, 12),
        (army, kyiv_independent_doc, 1, 1100),
    ] {
        mention(&mut g, entity, doc, count, offset);
    }
    g
}
