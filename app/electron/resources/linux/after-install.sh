#!/bin/sh
# deb post-install: what electron-builder's own script does (the app on the PATH as berth-app, the
# Chromium sandbox helper setuid root), and the `berth` command on the PATH.
set -e
ln -sf /opt/Berth/berth-app /usr/bin/berth-app
ln -sf /opt/Berth/resources/cli/berth /usr/bin/berth
if [ -f /opt/Berth/chrome-sandbox ]; then
  chmod 4755 /opt/Berth/chrome-sandbox
fi
