"""The hub's configuration files, without a browser: roster to groups, per-user settings, deployments, links."""

from __future__ import annotations

import types
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from traitlets.config import Config

from curriculum.hub import ensure_course_dir, gitpuller_link, module_links
from curriculum.syllabus import syllabus
from tests.conftest import ROOT

HUB = ROOT / "hub"


def _load_hub_config(monkeypatch, roster: Path) -> Config:
    """Execute hub/jupyterhub_config.py as JupyterHub would, with the production environment."""
    for name in ("INFUSE_HUB_SPAWNER", "INFUSE_HUB_AUTH", "INFUSE_HUB_PORT", "INFUSE_HUB_STATE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INFUSE_HUB_ROSTER", str(roster))
    config = Config()
    path = HUB / "jupyterhub_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config, "__file__": str(path)})
    return config


def test_roster_becomes_one_course_per_cohort(monkeypatch):
    """Each cohort of the example roster gives nbgrader's groups; only roster names may log in."""
    config = _load_hub_config(monkeypatch, HUB / "roster.example.yaml")
    groups = config.JupyterHub.load_groups
    roster = yaml.safe_load((HUB / "roster.example.yaml").read_text())
    for cohort, members in roster["cohorts"].items():
        assert groups[f"formgrade-{cohort}"]["users"] == sorted(members["trainers"])
        assert groups[f"nbgrader-{cohort}"]["users"] == sorted(members["learners"])
    assert groups["leaders"]["users"] == sorted(roster["leaders"])
    assert "shared-password" not in str(config.JupyterHub.get("authenticator_class", "")), "no test authenticator"
    assert "jim.nobody" not in config.Authenticator.allowed_users


@pytest.mark.parametrize(("groups", "role", "course", "landing"), [
    (["learners", "nbgrader-ccr-a"], "learner", "ccr-a", "/lab"),
    (["trainers", "formgrade-ccr-a"], "trainer", "ccr-a", "/lab"),
    (["leaders"], "leader", "", "/voila/tree"),
])
def test_each_person_gets_role_cohort_and_landing_page(monkeypatch, tmp_path, groups, role, course, landing):
    """The spawn hook sets role, cohort, exchange and config path; learners' config path hides trainer tools."""
    roster = tmp_path / "roster.yaml"
    roster.write_text("cohorts: {ccr-a: {trainers: [t], learners: [l]}}\nleaders: [d]\n")
    config = _load_hub_config(monkeypatch, roster)
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(groups=[types.SimpleNamespace(name=g) for g in groups]),
                                    environment={}, default_url="/lab")
    config.Spawner.pre_spawn_hook(spawner)
    env = spawner.environment
    assert (env["INFUSE_ROLE"], env["INFUSE_COURSE"], spawner.default_url) == (role, course, landing)
    assert env["INFUSE_EXCHANGE"] == "/srv/nbgrader/exchange"
    assert ("learner" in env["JUPYTER_CONFIG_PATH"]) == (role != "trainer")


def test_a_cohort_id_must_be_a_course_id(monkeypatch, tmp_path):
    """A cohort id nbgrader cannot use as a course id is refused when the hub starts."""
    roster = tmp_path / "roster.yaml"
    roster.write_text("cohorts: {'ccr+a': {trainers: [t], learners: [l]}}\n")
    with pytest.raises(ValueError, match="course id"):
        _load_hub_config(monkeypatch, roster)


def test_deployment_files_hold_the_essentials():
    """TLJH and Zero to JupyterHub: memory limits, culling, JupyterLab, the exchange volume and the config."""
    tljh = yaml.safe_load((HUB / "tljh" / "config.yaml").read_text())
    assert tljh["limits"]["memory"] == "2G" and tljh["services"]["cull"]["enabled"]
    assert tljh["user_environment"]["default_app"] == "jupyterlab"
    z2jh = yaml.safe_load((HUB / "z2jh" / "values.yaml").read_text())
    user = z2jh["singleuser"]
    assert user["memory"] == {"guarantee": "1G", "limit": "2G"}
    assert {m["mountPath"] for m in user["storage"]["extraVolumeMounts"]} == {z2jh["hub"]["extraEnv"]["INFUSE_EXCHANGE"]}
    assert z2jh["hub"]["extraFiles"]["infuse-config"]["mountPath"].endswith("jupyterhub_config.d/infuse.py")


def test_gitpuller_links_open_each_module():
    """Every module has a JupyterLab link; senior modules also an app-page link; both point at the notebook."""
    rows = module_links("https://hub.example.org", "https://github.com/ORG/infuse-curriculum.git")
    assert [r[0] for r in rows] == [m.id for m in syllabus()]
    for module in syllabus():
        link = gitpuller_link("https://hub.example.org/", "https://github.com/ORG/infuse-curriculum", module.id)
        query = parse_qs(urlsplit(link).query)
        assert link.startswith("https://hub.example.org/hub/user-redirect/git-pull?")
        assert query["urlpath"] == [f"lab/tree/infuse-curriculum/{module.notebook.as_posix()}"]
        assert query["repo"] == ["https://github.com/ORG/infuse-curriculum"] and query["branch"] == ["main"]
    senior = next(r for r in rows if r[0] == "counts_rates_comparisons")
    assert "voila%2Frender%2Finfuse-curriculum%2Fsenior_literacy" in senior[2]
    with pytest.raises(ValueError, match="app"):
        gitpuller_link("https://h", "https://r", "counts_rates_comparisons", app="notebook")


def test_trainer_course_folder_is_made_once(tmp_path):
    """A trainer's course folder gets the course configuration, and an edited one is left alone."""
    course = Path(ensure_course_dir(tmp_path / "ccr-a"))
    config = course / "nbgrader_config.py"
    assert config.read_text() == (ROOT / "grading" / "nbgrader_config.py").read_text()
    config.write_text("# edited by the trainer\n")
    ensure_course_dir(course)
    assert config.read_text() == "# edited by the trainer\n"
