"""Exceptions raised by the curriculum package.

Every error a user can cause (a wrong council name, a mapping that does not fit a
file, a file that breaks a schema) is a :class:`CurriculumError`. Its message is
written for the person who made the mistake and says how to fix it, and it renders
without a Python traceback in Jupyter and on the command line.
"""

from __future__ import annotations


class CurriculumError(Exception):
    """Base class for mistakes a user can fix; shown without a traceback."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback.
        return [f"{type(self).__name__}: {self}"]


class UnknownCouncilError(CurriculumError, ValueError):
    """A council name or code that is not one of the ten CCR councils."""


class UnknownModuleError(CurriculumError, KeyError):
    """A module id that is not in the syllabus."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MappingError(CurriculumError, ValueError):
    """A mapping file that is missing, malformed or does not fit the data."""


class DataError(CurriculumError, ValueError):
    """A data file that cannot be read or breaks its dataset's schema."""


class ModuleRunError(CurriculumError, RuntimeError):
    """A module notebook that failed while running."""
