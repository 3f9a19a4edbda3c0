// Demo circuit: a 4-qubit GHZ preparation followed by one U3+CU3 block with fixed angles.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
creg c[4];
h q[0];
cx q[0], q[1];
cx q[1], q[2];
cx q[2], q[3];
u3(0.3, -0.2, 0.1) q[0];
u3(pi/8, 0, pi/4) q[1];
u3(0.5, 0.25, -0.5) q[2];
u3(-0.1, 0.7, 0.2) q[3];
cu3(0.4, 0.1, -0.3) q[0], q[1];
cu3(0.2, -0.6, 0.5) q[1], q[2];
cu3(-0.3, 0.2, 0.1) q[2], q[3];
cu3(0.6, 0.3, -0.2) q[3], q[0];
measure q -> c;
