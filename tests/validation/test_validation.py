import json
from dataclasses import replace

import rdflib
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.validation.report import report_json, report_text, report_turtle
from policygraph.validation.shacl import validate

SHAPES = rdflib.Graph().parse(
    data="""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:date ; sh:datatype xsd:date ; sh:minCount 1 ;
                sh:message "A thing needs a date"@en, "Een ding heeft een datum nodig"@nl ] ;
  sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:severity sh:Warning ;
                sh:message "A thing has no title"@en, "Een ding heeft geen titel"@nl ] .
""",
    format="turtle",
)
EX = "https://example.org/"
A = NamedNode(EX + "a")
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
THING = NamedNode(EX + "Thing")


def test_warnings_alone_conform():
    report = validate(
        [
            Triple(A, TYPE, THING),
            Triple(
                A,
                NamedNode(EX + "date"),
                Literal("2021-07-05", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")),
            ),
        ],
        SHAPES,
    )
    assert report.conforms
    assert (report.count("Violation"), report.count("Warning")) == (0, 1)
    assert report.results[0].message("nl") == "Een ding heeft geen titel"


def test_violations_do_not_conform_and_read_like_compiler_errors():
    report = validate([Triple(A, TYPE, THING)], SHAPES)
    assert not report.conforms
    text = report_text(report)
    assert text.startswith("violation: ")
    assert "--> <https://example.org/a>" in text
    assert "[MinCountConstraintComponent]" in text
    assert "= A thing needs a date" in text
    assert text.rstrip().endswith(
        "1 violation(s), 1 warning(s), 0 info(s) in 1 triples: does not conform"
    )
    assert "Een ding heeft een datum nodig" in report_text(report, language="nl")


def test_machine_readable_reports():
    report = validate([Triple(A, TYPE, THING)], SHAPES)
    data = json.loads(report_json(report))
    assert data["conforms"] is False
    assert data["counts"] == {"Violation": 1, "Warning": 1, "Info": 0}
    assert {r["messages"]["en"] for r in data["results"]} == {
        "A thing needs a date",
        "A thing has no title",
    }
    parsed = rdflib.Graph().parse(data=report_turtle(report), format="turtle")
    assert len(list(parsed.subjects(rdflib.RDF.type, rdflib.SH.ValidationResult))) == 2


def test_limit_folds_long_groups():
    triples = [Triple(NamedNode(f"{EX}n{i}"), TYPE, THING) for i in range(5)]
    text = report_text(validate(triples, SHAPES), limit=2)
    assert "… and 3 more focus node(s)" in text


NESTED = rdflib.Graph().parse(
    data="""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:Thing-date .
ex:Thing-date sh:path ex:date ; sh:minCount 1 ; sh:message "A thing needs a date"@en .
ex:OtherShape a sh:NodeShape ; sh:targetClass ex:Other ;
  sh:property [ sh:path ex:part ; sh:or ( [ sh:class ex:Thing ] [ sh:class ex:Other ] ) ] .
ex:NamedShape a sh:NodeShape ; sh:targetSubjectsOf ex:name ;
  sh:property [ sh:path ex:name ; sh:datatype xsd:string ; sh:severity sh:Warning ] .
""",
    format="turtle",
)


def test_parallel_groups_give_the_same_report_as_one_run():
    other, name = NamedNode(EX + "Other"), NamedNode(EX + "name")
    triples = [Triple(NamedNode(f"{EX}t{i}"), TYPE, THING) for i in range(30)]
    triples += [Triple(NamedNode(f"{EX}o{i}"), TYPE, other) for i in range(30)]
    triples += [
        Triple(NamedNode(f"{EX}o{i}"), NamedNode(EX + "part"), NamedNode(f"{EX}x{i}"))
        for i in range(30)
    ]
    triples += [
        Triple(
            NamedNode(f"{EX}n{i}"),
            name,
            Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        )
        for i in range(30)
    ]
    one = validate(triples, NESTED, processes=1, validator="pyshacl")
    two = validate(triples, NESTED, processes=2, validator="pyshacl")
    assert len(one.results) == 90
    assert set(one.results) == set(two.results)
    assert len(one.graph) == len(two.graph)
    # The fast engine words the default message of a shape without sh:message its own way.
    unworded = [replace(r, messages=()) for r in one.results]
    fast = validate(triples, NESTED, validator="fast")
    assert [replace(r, messages=()) for r in fast.results] == unworded
