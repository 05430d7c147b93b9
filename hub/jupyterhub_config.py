"""JupyterHub configuration of the InFuSe programme.

One file serves three uses:

- the browser tests (``tests/browser``) start JupyterHub with it on loopback, with
  ``INFUSE_HUB_SPAWNER=simple`` and ``INFUSE_HUB_AUTH=shared-password``;
- a single server (The Littlest JupyterHub) copies it to
  ``/opt/tljh/config/jupyterhub_config.d/infuse.py``: TLJH keeps its own spawner and
  authenticator, and this file adds the programme's groups, courses and exchange
  (``hub/tljh/README.md``);
- Zero to JupyterHub carries the same logic in ``hub/z2jh/values.yaml`` (``hub.extraConfig``).

What it sets up:

- **One nbgrader course per cohort.** The roster (``INFUSE_HUB_ROSTER``, YAML) lists each
  cohort's trainers and learners, plus the senior leaders. Each cohort ``C`` becomes two
  JupyterHub groups named as nbgrader's JupyterHub plugin expects: ``formgrade-C``
  (trainers) and ``nbgrader-C`` (learners); everyone is also in ``trainers``, ``learners``
  or ``leaders``.
- **Per-user settings through the spawner environment**: ``INFUSE_ROLE``,
  ``INFUSE_COURSE`` (the cohort), ``INFUSE_EXCHANGE`` and ``JUPYTER_CONFIG_PATH`` pointing
  at ``hub/singleuser`` (whose ``nbgrader_config.py`` reads them). Learners get no
  formgrader; leaders land on Voila app pages with the code hidden.

Environment variables (defaults are the production ones):

``INFUSE_HUB_ROSTER``        roster file (``/srv/infuse/roster.yaml``)
``INFUSE_EXCHANGE``          nbgrader exchange shared by every user (``/srv/nbgrader/exchange``)
``INFUSE_HUB_SINGLEUSER``    folder with the per-user config (``hub/singleuser`` beside this file)
``INFUSE_HUB_STATE``         folder for the hub's database, cookie secret and, with the simple
                             spawner, the users' homes (the working directory)
``INFUSE_HUB_IP``, ``INFUSE_HUB_PORT``             public address (``127.0.0.1``, ``8000``)
``INFUSE_HUB_API_PORT``, ``INFUSE_PROXY_API_PORT``  hub and proxy API ports (``8081``, ``8001``)
``INFUSE_HUB_SPAWNER``       ``simple`` for SimpleLocalProcessSpawner (tests only); unset keeps
                             the deployment's spawner
``INFUSE_HUB_AUTH``          ``shared-password`` (tests only, with ``INFUSE_HUB_PASSWORD``);
                             unset keeps the deployment's authenticator
``INFUSE_HUB_USER_BIN``      folder holding ``jupyterhub-singleuser`` (the user environment's
                             ``bin``); put first on the users' ``PATH`` (nbgrader needs ``alembic``)
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub)

HERE = Path(__file__).resolve().parent
ENV = os.environ


def _read_roster(path):
    """The roster as ``{"cohorts": {course id: {"trainers": [...], "learners": [...]}}, "leaders": [...]}``."""
    if not path or not Path(path).exists():
        return {"cohorts": {}, "leaders": []}
    text = Path(path).read_text(encoding="utf-8")
    try:
        import yaml

        data = yaml.safe_load(text)
    except ImportError:  # the TLJH hub environment ships ruamel.yaml
        from ruamel.yaml import YAML

        data = YAML(typ="safe").load(text)
    data = data or {}
    cohorts = {str(k): {"trainers": list(v.get("trainers") or []), "learners": list(v.get("learners") or [])}
               for k, v in (data.get("cohorts") or {}).items()}
    for course_id in cohorts:
        if "+" in course_id or "/" in course_id or not course_id.strip():
            raise ValueError(f"roster {path}: cohort id {course_id!r} cannot be an nbgrader course id")
    return {"cohorts": cohorts, "leaders": list(data.get("leaders") or [])}


ROSTER = _read_roster(ENV.get("INFUSE_HUB_ROSTER", "/srv/infuse/roster.yaml"))
EXCHANGE = ENV.get("INFUSE_EXCHANGE", "/srv/nbgrader/exchange")
SINGLEUSER = Path(ENV.get("INFUSE_HUB_SINGLEUSER", HERE / "singleuser"))

# --- groups: one course per cohort -----------------------------------------------------------
groups = {"trainers": set(), "learners": set(), "leaders": set(ROSTER["leaders"])}
for course_id, members in ROSTER["cohorts"].items():
    groups[f"formgrade-{course_id}"] = set(members["trainers"])
    groups[f"nbgrader-{course_id}"] = set(members["learners"])
    groups["trainers"] |= set(members["trainers"])
    groups["learners"] |= set(members["learners"])
c.JupyterHub.load_groups = {name: {"users": sorted(users)} for name, users in groups.items()}
everyone = set().union(*groups.values())
if everyone:
    c.Authenticator.allowed_users = everyone

# nbgrader's JupyterHub plugin reads the user's groups with the server's own token.
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "read:users:name!user", "read:users:groups!user"]


def _role(spawner):
    """``(role, course id)`` of the spawning user, from their groups."""
    names = sorted(g.name for g in spawner.user.groups)
    for name in names:
        if name.startswith("formgrade-"):
            return "trainer", name.split("-", 1)[1]
    for name in names:
        if name.startswith("nbgrader-"):
            return "learner", name.split("-", 1)[1]
    if "leaders" in names:
        return "leader", ""
    return "learner", ""


def infuse_pre_spawn(spawner):
    """Give the user's server their role, cohort and the exchange, and their landing page."""
    role, course_id = _role(spawner)
    config_path = [str(SINGLEUSER)] if role == "trainer" else [str(SINGLEUSER / "learner"), str(SINGLEUSER)]
    env = {
        "INFUSE_ROLE": role,
        "INFUSE_COURSE": course_id,
        "INFUSE_EXCHANGE": EXCHANGE,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(config_path),
    }
    if ENV.get("INFUSE_HUB_USER_BIN"):
        env["PATH"] = ENV["INFUSE_HUB_USER_BIN"] + os.pathsep + ENV.get("PATH", "/usr/local/bin:/usr/bin:/bin")
    spawner.environment.update(env)
    spawner.default_url = "/voila/tree" if role == "leader" else "/lab"


_previous_hook = c.Spawner.pre_spawn_hook if "pre_spawn_hook" in c.Spawner else None


def _pre_spawn_hook(spawner):
    if callable(_previous_hook):
        _previous_hook(spawner)
    infuse_pre_spawn(spawner)


c.Spawner.pre_spawn_hook = _pre_spawn_hook
c.Spawner.default_url = "/lab"

# --- where the hub listens and keeps its state ------------------------------------------------
if "INFUSE_HUB_PORT" in ENV or "INFUSE_HUB_IP" in ENV:
    c.JupyterHub.ip = ENV.get("INFUSE_HUB_IP", "127.0.0.1")
    c.JupyterHub.port = int(ENV.get("INFUSE_HUB_PORT", "8000"))
if "INFUSE_HUB_API_PORT" in ENV:
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(ENV["INFUSE_HUB_API_PORT"])
if "INFUSE_PROXY_API_PORT" in ENV:
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(ENV['INFUSE_PROXY_API_PORT'])}"
if ENV.get("INFUSE_HUB_STATE"):
    state = Path(ENV["INFUSE_HUB_STATE"])
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")

# --- test-only spawner and authenticator (never in production) --------------------------------
if ENV.get("INFUSE_HUB_SPAWNER") == "simple":
    # One process per user, no system users, each home a folder under the state folder.
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(Path(ENV.get("INFUSE_HUB_STATE", ".")) / "home" / "{username}")
    user_bin = ENV.get("INFUSE_HUB_USER_BIN", str(Path(sys.executable).parent))
    c.Spawner.cmd = [str(Path(user_bin) / "jupyterhub-singleuser")]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]  # CI runs as root; every user's server is then root too
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
if ENV.get("INFUSE_HUB_AUTH") == "shared-password":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = ENV["INFUSE_HUB_PASSWORD"]
