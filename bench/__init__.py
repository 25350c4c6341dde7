"""Load benchmarks and soak tests of the production app (`make bench`, `make soak`)."""
