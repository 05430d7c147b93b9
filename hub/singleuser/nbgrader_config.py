"""nbgrader configuration of every user's server on the InFuSe hub.

JupyterHub puts this folder on ``JUPYTER_CONFIG_PATH`` (``hub/jupyterhub_config.py``) and
sets, per user, ``INFUSE_ROLE`` (``trainer``, ``learner`` or ``leader``), ``INFUSE_COURSE``
(the cohort: one nbgrader course per cohort) and ``INFUSE_EXCHANGE``.

- Everyone shares the exchange and belongs to courses through JupyterHub groups
  (``nbgrader-<cohort>`` for learners, ``formgrade-<cohort>`` for trainers), read by
  nbgrader's JupyterHub plugin: a learner sees only their own cohort's modules.
- A learner fetches and submits under their hub name (``CourseDirectory.student_id``), so
  submissions are filed under the right learner even where every server runs as one system
  user (Zero to JupyterHub's ``jovyan``, or the local test hub).
- A trainer's course folder is ``~/<cohort>`` (``INFUSE_COURSE_DIR`` overrides it); the
  first start copies the course's ``nbgrader_config.py`` from the curriculum into it, and
  that file's settings (placeholders, kernel, time limits, papermill clean-up) apply to the
  formgrader too.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 (provided by nbgrader)

role = os.environ.get("INFUSE_ROLE", "learner")
course_id = os.environ.get("INFUSE_COURSE", "")
hub_user = os.environ.get("JUPYTERHUB_USER", "")

c.Exchange.root = os.environ.get("INFUSE_EXCHANGE", "/srv/nbgrader/exchange")
if hub_user:
    c.Authenticator.plugin_class = JupyterHubAuthPlugin
if course_id:
    c.CourseDirectory.course_id = course_id

if role == "learner" and hub_user:
    c.CourseDirectory.student_id = hub_user

if role == "trainer" and course_id:
    from curriculum.hub import ensure_course_dir

    course_root = ensure_course_dir(os.environ.get("INFUSE_COURSE_DIR") or os.path.join(os.path.expanduser("~"), course_id))
    load_subconfig(os.path.join(course_root, "nbgrader_config.py"))  # noqa: F821 (provided by traitlets)
    c.CourseDirectory.root = course_root
    c.CourseDirectory.course_id = course_id
    c.Exchange.root = os.environ.get("INFUSE_EXCHANGE", "/srv/nbgrader/exchange")
