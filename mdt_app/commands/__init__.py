"""One module per `mdt-app` command; each has `register(subparsers, common)`."""
