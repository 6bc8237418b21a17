#!/bin/sh
# Builds amped's self-contained image: a Java runtime trimmed by jlink to the modules amped uses, the jar,
# and the bin/amped launcher, then packs it as a .tar.gz beside it.
# Usage: build-image.sh JAVA_HOME MODULES JAR LAUNCHER OUTPUT_DIR
set -eu
java_home=$1 modules=$2 jar=$3 launcher=$4 out=$5
rm -rf "$out" "$out.tar.gz"
# no debug attributes, headers or man pages: nothing a server needs; zip-6 halves the module image
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$out"
mkdir -p "$out/lib/amped"
cp "$jar" "$out/lib/amped/amped.jar"
cp "$launcher" "$out/bin/amped"
chmod 755 "$out/bin/amped"
tar -czf "$out.tar.gz" -C "$(dirname "$out")" "$(basename "$out")"
echo "amped image: $out ($(du -sh "$out" | cut -f1)), $out.tar.gz ($(du -h "$out.tar.gz" | cut -f1))"
