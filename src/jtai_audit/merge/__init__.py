"""Agency returns → one case per child: precedence, conflicts, and the chasing list."""
