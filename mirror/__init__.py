"""A deterministic mirror of a provincial People's Council website, served on loopback."""
