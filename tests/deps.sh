#!/bin/sh
# Installs the named Debian packages that are missing.  Runs apt-get update first when a
# package is not known to apt; when not root, prints the command instead.
set -u
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "salesdesk: missing packages:$missing" >&2
	echo "run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q $missing >/dev/null 2>&1; then
	apt-get update -q >/dev/null 2>&1
	apt-get install -y -q $missing >/dev/null || {
		echo "salesdesk: apt-get could not install:$missing" >&2
		exit 1
	}
fi
