"""The ``innesto`` command line: thin over the library."""
