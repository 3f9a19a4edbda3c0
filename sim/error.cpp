#include "sim/error.h"

namespace qnas {

void check_failed(const char* cond, const char* file, int line, const std::string& msg) {
    throw std::logic_error(std::string("internal error: ") + msg + " (" + cond + " at " + file + ":" +
                           std::to_string(line) + ")");
}

}  // namespace qnas
