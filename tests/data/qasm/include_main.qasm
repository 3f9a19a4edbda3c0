// Includes are resolved relative to the including file.
OPENQASM 2.0;
include "qelib1.inc";
include "include/bell.inc";
qreg q[2];
bell q[0], q[1];
