"""InFuSe curriculum: the Cardiff Capital Region's action-learning curriculum.

The public API is small:

- :func:`load` loads one validated dataset for a council (demo data or the
  council's own folder with a ``mapping.yaml``);
- :func:`councils` and :func:`get_council` give the ten CCR councils;
- :func:`syllabus` and :func:`get_module` read the syllabus;
- :func:`use_style` applies the house chart style;
- :func:`translator` gives a module's strings in English or Welsh;
- :class:`CurriculumError` and its subclasses are the mistakes a user can fix.

Importing the package changes nothing: no styles, no files, no network.
"""

from curriculum.councils import Council, councils, get_council
from curriculum.datasets import load
from curriculum.errors import CurriculumError, DataError, MappingError, UnknownCouncilError
from curriculum.i18n import translator
from curriculum.style import use_style
from curriculum.syllabus import get_module, syllabus

__all__ = [
    "load", "councils", "get_council", "Council", "syllabus", "get_module", "use_style", "translator",
    "CurriculumError", "DataError", "MappingError", "UnknownCouncilError",
]
__version__ = "0.1.0"
