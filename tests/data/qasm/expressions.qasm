// Parameter expressions: literals (with exponents), pi, + - * / ^, unary minus, parentheses
// and the six functions. The test checks each angle against the value C++ computes.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
rz(1e-3) q[0];
rz(2.5E+1) q[0];
rz(.5) q[0];
rz(-pi/2 + 2*pi/4) q[0];
rz(-2^2) q[0];
rz(2^-1) q[0];
rz(2^3^2) q[0];
rz(((1 + 2) * 3) / 4) q[0];
rz(sin(pi/6) + cos(pi/3) - tan(pi/4)) q[0];
rz(exp(1) * ln(2) / sqrt(2)) q[0];
rz(- -1.5) q[0];
u3(0.1, -0.2e-1, 3) q[0];
