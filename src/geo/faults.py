"""Any failure as one Dutch sentence for the user: what went wrong and what to do, never a traceback.

Used by the CLI (`geo.cli.main`) and the app (`geo_app.errors`): messages of `UserFacingError` as they
are; database faults through `geo.store.engine.db_problem` (driver missing, unreachable, read-only, full);
files the product cannot write or read (disk full, no permission); anything else as a short line with the
kind of error, while the full traceback goes to the log for whoever maintains the installation.
"""

from __future__ import annotations

import errno

from geo.errors import UserFacingError


def message(exc: BaseException) -> str:
    """The Dutch message for ``exc``."""
    if isinstance(exc, UserFacingError):
        return str(exc)
    if _is_database(exc):
        from geo.store.engine import db_problem

        return db_problem(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        if exc.errno == errno.ENOSPC:
            return f"De schijf is vol{where}: maak ruimte vrij en probeer opnieuw."
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"Geen schrijf- of leesrechten{where}: kies een andere map of vraag de rechten."
        if exc.errno == errno.ENOENT:
            return f"Bestand of map niet gevonden{where}."
        return f"Bestandsfout{where}: {exc.strerror or exc}."
    if isinstance(exc, MemoryError):
        return "Te weinig werkgeheugen voor deze bewerking: kies een kleiner gebied of niveau."
    text = " ".join(str(exc).split())[:160]
    return f"Onverwachte fout ({exc.__class__.__name__}{': ' + text if text else ''})."


def _is_database(exc: BaseException) -> bool:
    if isinstance(exc, ModuleNotFoundError):
        return "psycopg" in str(exc)
    try:
        import sqlalchemy
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    return isinstance(exc, sqlalchemy.exc.SQLAlchemyError)
