#!/usr/bin/env bash
# `make images`: one image per step the CLI lists, with docker or podman, plus the Glue package.
# Variables: IMAGE_REGISTRY (default ghcr.io/sales-pipeline), IMAGE_TAG (default: tasks/package.json
# version), CONTAINER_ENGINE (docker|podman; default: whichever is installed), STEPS (default: all),
# PUSH=1 to push after building.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

engine="${CONTAINER_ENGINE:-}"
if [ -z "$engine" ]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1; then engine="$candidate"; break; fi
  done
fi
if [ -z "$engine" ] || ! command -v "$engine" >/dev/null 2>&1; then
  echo "[images] ERROR: no container engine found: install docker or podman (or set CONTAINER_ENGINE)." >&2
  echo "[images]        CI builds and pushes the images (.github/workflows/images.yml); without an engine," >&2
  echo "[images]        'make test-images' checks the same install steps and each step's --help." >&2
  exit 1
fi

registry="${IMAGE_REGISTRY:-ghcr.io/sales-pipeline}"
tag="${IMAGE_TAG:-$(node -p 'require("./tasks/package.json").version')}"
if [ "$tag" = latest ]; then echo "[images] ERROR: IMAGE_TAG must pin a release, not 'latest'" >&2; exit 1; fi
steps="${STEPS:-$(node images/bundle.mjs --list)}"

ignore=()
# BuildKit finds images/Dockerfile.dockerignore itself; podman (buildah) is told.
[ "$(basename "$engine")" = podman ] && ignore=(--ignorefile images/Dockerfile.dockerignore)

for step in $steps; do
  image="$registry/sales-pipeline-$step:$tag"
  echo "[images] $image"
  "$engine" build -f images/Dockerfile "${ignore[@]}" --target step --build-arg "STEP=$step" -t "$image" .
  if [ "${PUSH:-0}" = 1 ]; then "$engine" push "$image"; fi
done

node tasks/dist/commands/glue-transform/package-main.js dist/glue
echo "[images] built: $(echo $steps | wc -w) step images tagged $tag; Glue package in dist/glue/"
