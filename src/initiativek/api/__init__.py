"""The REST API's composition: routing, authentication, pagination, error format, schema.

Domain endpoints live in each app's ``api/`` package; this package only ties them together.
"""
