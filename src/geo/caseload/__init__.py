"""caseload"""
