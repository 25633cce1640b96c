import dataclasses
from pathlib import Path

import pytest

import policygraph
from policygraph.config import (
    SETTINGS,
    Settings,
    load_settings,
    not_negative,
    positive,
    required_data_dir,
    setting,
    table_of,
)
from policygraph.errors import ConfigurationError


def test_defaults_need_no_file_or_environment():
    settings = load_settings(env={})
    assert settings.base_iri == "https://data.policygraph.be"
    assert settings.query_timeout == 30.0
    assert settings.service_allowlist == ()


def test_file_then_environment_then_overrides(tmp_path):
    file = tmp_path / "policygraph.toml"
    file.write_text('[policygraph]\nport = 9000\nbase_iri = "https://example.org/"\nworkers = 3\n')
    settings = load_settings(
        file,
        env={"POLICYGRAPH_PORT": "9100", "POLICYGRAPH_UNION_DEFAULT_GRAPH": "no"},
        overrides={"workers": 5},
    )
    assert settings.port == 9100
    assert settings.base_iri == "https://example.org"  # trailing slash dropped: IRIs add their own
    assert settings.union_default_graph is False
    assert settings.workers == 5


def test_config_file_from_environment(tmp_path):
    file = tmp_path / "p.toml"
    file.write_text("max_result_rows = 10\n")
    assert load_settings(env={"POLICYGRAPH_CONFIG": str(file)}).max_result_rows == 10


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"POLICYGRAPH_PORT": "eighty"}, "port"),
        ({"POLICYGRAPH_UNION_DEFAULT_GRAPH": "maybe"}, "boolean"),
        ({"POLICYGRAPH_BASE_IRI": "ftp://x"}, "base_iri"),
        ({"POLICYGRAPH_QUERY_TIMEOUT": "0"}, "positive"),
    ],
)
def test_malformed_values_are_refused(env, message):
    with pytest.raises(ConfigurationError, match=message):
        load_settings(env=env)


def test_unknown_setting_in_file_is_refused(tmp_path):
    file = tmp_path / "p.toml"
    file.write_text("prot = 1\n")
    with pytest.raises(ConfigurationError, match="unknown setting 'prot'"):
        load_settings(file, env={})


def test_unreadable_file_is_a_configuration_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("port = = 1")
    with pytest.raises(ConfigurationError, match="cannot read settings file"):
        load_settings(bad, env={})


def test_replace_keeps_other_values():
    settings = load_settings(env={}).replace(port=1234)
    assert settings.port == 1234
    assert settings.base_iri == "https://data.policygraph.be"


def test_the_table_is_the_dataclass():
    """SETTINGS is derived from the fields of Settings: same names, order and defaults."""
    fields = dataclasses.fields(Settings)
    assert [s.name for s in SETTINGS] == [f.name for f in fields]
    assert all(s.help for s in SETTINGS)
    defaults = load_settings(env={})
    for s in SETTINGS:
        assert getattr(defaults, s.name) == (s.check(s.name, s.default) if s.check else s.default)


def test_every_value_survives_the_environment():
    """Each type's coercion reads back what as_dict writes, so replace() keeps every value."""
    settings = load_settings(
        env={},
        overrides={"service_allowlist": "https://a.example/sparql https://b.example/sparql"},
    )
    env = {"POLICYGRAPH_" + name.upper(): str(raw) for name, raw in settings.as_dict().items()}
    assert load_settings(env=env) == settings
    assert settings.replace() == settings


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        *[(s.name, "0", "must be positive") for s in SETTINGS if s.check is positive],
        *[(s.name, "-1", "must not be negative") for s in SETTINGS if s.check is not_negative],
    ],
)
def test_the_checks_of_the_table_are_applied(name, raw, message):
    with pytest.raises(ConfigurationError, match=f"setting {name} {message}"):
        load_settings(env={f"POLICYGRAPH_{name.upper()}": raw})


def test_a_toml_list_is_a_list_of_iris(tmp_path):
    file = tmp_path / "p.toml"
    file.write_text('service_allowlist = ["https://a.example/sparql", "https://b.example/q"]\n')
    allow = load_settings(file, env={}).service_allowlist
    assert allow == ("https://a.example/sparql", "https://b.example/q")


def test_a_setting_of_a_type_nobody_reads_is_refused_when_declared():
    @dataclasses.dataclass(frozen=True)
    class Odd:
        ratio: complex = setting(1j, "A ratio.")

    with pytest.raises(TypeError, match="setting ratio: no coercion"):
        table_of(Odd)


def test_without_a_data_folder_the_error_says_what_to_pass(tmp_path):
    settings = load_settings(env={"POLICYGRAPH_DATA_DIR": ""})
    assert settings.data_dir is None
    with pytest.raises(ConfigurationError, match=r"has none of its own.*--data DIR"):
        required_data_dir(settings)
    missing = settings.replace(data_dir=str(tmp_path / "none"))
    with pytest.raises(ConfigurationError, match=f"no data folder {tmp_path / 'none'}"):
        required_data_dir(missing)
    assert required_data_dir(settings.replace(data_dir=str(tmp_path))) == tmp_path


def test_the_ontology_and_shapes_are_read_from_the_package():
    settings = load_settings(env={})
    package = Path(policygraph.__file__).parent
    assert settings.ontology_dir == package / "ontology"
    assert settings.shapes_dir == package / "shapes"
    assert sorted(p.name for p in settings.ontology_dir.glob("*.ttl")) == [
        "concepts.ttl",
        "policygraph.ttl",
    ]
