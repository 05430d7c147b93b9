"""nbgrader configuration of the InFuSe course.

Trainers run nbgrader (or the `infuse grade` wrappers) from this folder. Source
notebooks are staged here from the lab folders by `infuse grade generate MODULE`;
never edit grading/source by hand.
"""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = os.environ.get("INFUSE_COURSE", "infuse")

# The placeholder learners see runs (Data 8 style) instead of raising.
c.ClearSolutions.code_stub = {"python": "...  # YOUR ANSWER: replace ... with your code"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Pin the kernel and bound every run.
c.Execute.kernel_name = "python3"
c.Execute.timeout = 300
c.Execute.startup_timeout = 120
c.Execute.interrupt_on_timeout = True

# A notebook that went through papermill carries an injected-parameters cell without
# nbgrader metadata; strip it (and papermill's error banner) before autograding.
c.Autograde.sanitize_preprocessors = [
    "nbconvert.preprocessors.TagRemovePreprocessor",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = ["injected-parameters", "papermill-error-cell-tag"]

# The exchange: the hub's shared folder in production, a temporary one in tests.
c.Exchange.root = os.environ.get("INFUSE_EXCHANGE", "/srv/nbgrader/exchange")
