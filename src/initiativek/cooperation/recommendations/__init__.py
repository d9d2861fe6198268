"""Partner recommendations on the web: the engine's input from the database, the built index
cached per process, and the reasons as German sentences with the projects behind them.

Other apps use ``implemented_like_for_project`` (the project page); the cooperation views use
the selectors in ``selectors``.
"""

from .implemented import implemented_like_for_project

__all__ = ["implemented_like_for_project"]
