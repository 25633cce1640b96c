import pytest

from policygraph.config import load_settings
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
