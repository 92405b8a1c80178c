# Sourced by the fetch-*.sh scripts: fetch one artefact pinned by sha256.
#
# pinned_fetch TAG PACKAGE MEMBER DEST SHA256
#   Leaves in DEST (a file in the cache) the artefact MEMBER of the npm package
#   PACKAGE (a path inside the package, e.g. deps/x.tar.gz; empty: the package
#   tarball itself), checked against SHA256.  Downloads only when DEST is
#   missing or fails its checksum; a mismatching download is never kept.
pinned_fetch() {
  local tag="$1" pkg="$2" member="$3" dest="$4" sha="$5" tmp actual
  _pinned_ok() { echo "$sha  $1" | sha256sum --check --status; }
  mkdir -p "$(dirname "$dest")"
  if [ ! -f "$dest" ] || ! _pinned_ok "$dest"; then
    command -v npm >/dev/null || { echo "$tag: npm is required to fetch $pkg" >&2; return 1; }
    tmp="$(mktemp -d)"
    echo "$tag: downloading $pkg${member:+ (for $member)}"
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null) || { rm -rf "$tmp"; return 1; }
    if [ -n "$member" ]; then
      tar -xzf "$tmp"/*.tgz -C "$tmp" "package/$member" && cp "$tmp/package/$member" "$dest.part"
    else
      cp "$tmp"/*.tgz "$dest.part"
    fi
    rm -rf "$tmp"
    if ! _pinned_ok "$dest.part"; then
      actual="$(sha256sum "$dest.part" | cut -d' ' -f1)"
      rm -f "$dest.part"
      echo "$tag: CHECKSUM MISMATCH for $(basename "$dest")" >&2
      echo "  expected $sha (the .pin file)" >&2
      echo "  got      $actual" >&2
      return 1
    fi
    mv "$dest.part" "$dest"
  fi
  _pinned_ok "$dest" || { echo "$tag: cached $dest fails its checksum; delete it" >&2; return 1; }
}
