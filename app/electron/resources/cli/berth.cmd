@echo off
rem The berth command of an installed Berth on Windows: Berth.exe runs the command as plain Node.
rem This file is resources\cli\berth.cmd; add that folder to PATH (README).
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Berth.exe" "%~dp0..\app.asar\dist\app\berth-cli.mjs" %*
