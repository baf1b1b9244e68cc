"""Sanitising: secrets out of every line read, before anything else sees it; serials,
accounts, hostnames and addresses replaced on request."""
