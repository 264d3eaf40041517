#!/bin/bash
# Stands for traefik/traefik-library-image's update.sh: renders tmpl/ into <version>/.
set -e
