#include <iostream>

#include "cli/main.h"

int main(int argc, char** argv) { return qnas::cli::main(argc, argv, std::cout, std::cerr); }
