#!/bin/sh
# busybox acpid runs this (as /etc/acpi/PWRF/00000080) when the power button is pressed, i.e. on
# QMP system_powerdown. /init traps SIGUSR1 and shuts the VM down cleanly.
kill -USR1 1
