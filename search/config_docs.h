// The reference of every experiment-config key (search/experiment_config.h, which includes the
// training keys of supercircuit/train_config.h), generated from the code: the keys and their
// defaults come from the resolved default configs, the types and meanings from the table here.
// `qnas list keys --format markdown` prints it; docs/config_keys.md is that output, and tests fail
// when a key is added without documentation or the committed file drifts.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace qnas::search {

struct KeyDoc {
    std::string key;           // dotted JSON path, e.g. "search.population"
    std::string type;          // e.g. "integer ≥ 1"
    std::string meaning;       // markdown
    std::string default_text;  // empty: the resolved default config's value
};

const std::vector<KeyDoc>& experiment_key_docs();

// Every leaf key (dotted; arrays and null count as leaves) of the resolved configs a user can get:
// the default SuperCircuit classification config, a fixed-arch config and a VQE config.
std::vector<std::string> experiment_config_keys();

// The default of `key` as JSON text (from the resolved default configs), or the KeyDoc's text.
std::string default_text(const KeyDoc& d);

// The markdown reference (docs/config_keys.md).
std::string config_keys_markdown();

}  // namespace qnas::search
