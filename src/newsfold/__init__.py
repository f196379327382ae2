"""newsfold."""
