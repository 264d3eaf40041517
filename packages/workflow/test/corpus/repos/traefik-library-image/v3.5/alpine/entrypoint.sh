#!/bin/sh
# Stands for the library image's entrypoint.sh.
exec "$@"
