#!/bin/sh
# deb post-remove: the links after-install.sh made.
rm -f /usr/bin/berth-app /usr/bin/berth
