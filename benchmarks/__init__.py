"""coursekit's benchmarks (``make bench``) and, in ``benchmarks/kit``, what they share with the tests."""
