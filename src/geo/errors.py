"""Errors whose message is meant for the user."""


class UserFacingError(Exception):
    """An error with a Dutch message that names what is wrong and how to fix it."""


class DataMissingError(UserFacingError):
    """A raw or built data file is missing or corrupt."""
