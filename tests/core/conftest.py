from tests.fakes.fixtures import http, server

__all__ = ["http", "server"]
