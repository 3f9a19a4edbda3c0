OPENQASM 2.0;
include "include/cycle_a.inc";
