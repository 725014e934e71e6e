// A small stand-in for the nn~ external (Max/MSP, Pure Data): it drives a TorchScript export exactly as nn~'s
// C++ backend does, so the tests can tell whether an error seen in Max/Live/Pd is the model's or the host's.
//
//   nn_host MODEL.ts SCRIPT
//
// What nn~ does and this program repeats (NN_TILDE_AND_FORMATS.md §A1-A3):
//   * main thread: torch::jit::load, eval(), get_methods(), get_attributes(), <method>_params,
//     set_sample_rate(int), and every attribute setter (`set NAME v...` messages, values given as strings
//     and converted per the <attr>_params type ids: bool is false only for "0"/"false", int stoi, float stof);
//   * every buffer on a new std::thread, under c10::InferenceMode, with the input built from channel-major
//     host buffers as reshape(in_dim, batch, -1, in_ratio).select(-1, -1).permute(1, 0, 2) (non-contiguous,
//     decimated to the method's input ratio), the output checked for [batch, out_dim, buffer / out_ratio],
//     repeated out_ratio times (zero-order hold), and exceptions caught and printed.
//
// SCRIPT holds one command per line:
//   sr RATE                                      set_sample_rate(RATE)
//   set NAME V1 [V2 ...]                         the `set` message
//   call METHOD BATCH BUFFER SEED IN.f32 OUT.f32 one buffer: IN = [in_dim, BATCH, BUFFER] float32 (host
//                                                channel-major layout), OUT = [BATCH, out_dim, BUFFER] float32
//                                                (written only when the call succeeds); SEED seeds torch's
//                                                generator in the worker thread before the call
// and the program prints one line per command: "ok ...", "refused ...", or "error ...".

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string first_line(const std::string &text) {
  // TorchScript puts the scripted traceback first and the error itself on the last non-empty line.
  std::istringstream stream(text);
  std::string line, last;
  while (std::getline(stream, line)) {
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  }
  return last;
}

std::vector<std::string> string_list(const c10::IValue &value) {
  std::vector<std::string> out;
  for (const auto &item : value.toListRef()) out.push_back(item.toStringRef());
  return out;
}

std::vector<float> read_floats(const std::string &path, size_t count) {
  std::vector<float> data(count);
  std::ifstream file(path, std::ios::binary);
  file.read(reinterpret_cast<char *>(data.data()), static_cast<std::streamsize>(count * sizeof(float)));
  if (static_cast<size_t>(file.gcount()) != count * sizeof(float)) {
    throw std::runtime_error("input file " + path + " holds fewer than " + std::to_string(count) + " floats");
  }
  return data;
}

void write_floats(const std::string &path, const torch::Tensor &tensor) {
  auto contiguous = tensor.contiguous();
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char *>(contiguous.data_ptr<float>()),
             static_cast<std::streamsize>(contiguous.numel() * sizeof(float)));
}

struct Host {
  torch::jit::script::Module model;
  std::vector<std::string> methods;
  std::vector<std::string> attributes;

  explicit Host(const std::string &path) : model(torch::jit::load(path)) {
    methods = string_list(model.get_method("get_methods")({}));
    model.eval();
    if (model.find_method("get_attributes")) {
      for (const auto &name : string_list(model.get_method("get_attributes")({}))) {
        if (name != "none") attributes.push_back(name);
      }
    }
  }

  std::vector<int64_t> params(const std::string &name) {
    auto tensor = model.attr(name + "_params").toTensor();
    std::vector<int64_t> out;
    for (int64_t i = 0; i < tensor.numel(); ++i) out.push_back(tensor[i].item<int64_t>());
    return out;
  }

  void sample_rate(int rate) {
    if (model.find_method("set_sample_rate")) model.get_method("set_sample_rate")({c10::IValue(rate)});
    std::cout << "ok sr " << rate << std::endl;
  }

  void set(const std::string &name, const std::vector<std::string> &values) {
    if (std::find(attributes.begin(), attributes.end(), name) == attributes.end()) {
      std::cout << "error set " << name << ": argument name not settable in current model" << std::endl;
      return;
    }
    auto types = params(name);
    if (types.size() != values.size()) {
      std::cout << "error set " << name << ": wrong number of elements" << std::endl;
      return;
    }
    std::vector<c10::IValue> args;
    try {
      for (size_t i = 0; i < values.size(); ++i) {
        switch (types[i]) {
          case 0: args.emplace_back(!(values[i] == "0" || values[i] == "false")); break;
          case 1: args.emplace_back(static_cast<int64_t>(std::stoi(values[i]))); break;
          case 2: args.emplace_back(static_cast<double>(std::stof(values[i]))); break;
          default: args.emplace_back(values[i]); break;
        }
      }
      auto result = model.get_method("set_" + name)(args).toInt();
      std::cout << (result == 0 ? "ok" : "refused") << " set " << name << " " << result << std::endl;
    } catch (const std::exception &error) {
      std::cout << "error set " << name << ": " << first_line(error.what()) << std::endl;
    }
  }

  void call(const std::string &method, int64_t batch, int64_t buffer, uint64_t seed, const std::string &in_path,
            const std::string &out_path) {
    if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
      std::cout << "error call " << method << ": method not found in model" << std::endl;
      return;
    }
    auto p = params(method);
    int64_t in_dim = p[0], in_ratio = p[1], out_dim = p[2], out_ratio = p[3];
    auto data = read_floats(in_path, static_cast<size_t>(in_dim * batch * buffer));
    torch::Tensor output;
    std::string failure;
    // The buffer is handed to a fresh worker thread, as nn~ does with each buffer it collected.
    std::thread worker([&]() {
      try {
        c10::InferenceMode guard;
        auto host = torch::from_blob(data.data(), {in_dim, batch, buffer}, torch::kFloat32);
        auto input = host.reshape({in_dim, batch, -1, in_ratio}).select(-1, -1).permute({1, 0, 2});
        torch::manual_seed(seed);
        output = model.get_method(method)({input}).toTensor();
      } catch (const std::exception &error) {
        failure = first_line(error.what());
      }
    });
    worker.join();
    if (!failure.empty()) {
      std::cout << "error call " << method << ": " << failure << std::endl;
      return;
    }
    if (output.dim() != 3 || output.size(0) != batch || output.size(1) != out_dim ||
        output.size(2) != buffer / out_ratio || output.scalar_type() != torch::kFloat32) {
      std::cout << "error call " << method << ": model output size is not consistent, expected "
                << buffer / out_ratio << " samples, got " << (output.dim() == 3 ? output.size(2) : -1) << std::endl;
      return;
    }
    write_floats(out_path, output.repeat_interleave(out_ratio, -1));
    std::cout << "ok call " << method << std::endl;
  }
};

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: nn_host MODEL.ts SCRIPT" << std::endl;
    return 2;
  }
  at::set_num_threads(1);
  std::unique_ptr<Host> host;
  try {
    host = std::make_unique<Host>(argv[1]);
  } catch (const std::exception &error) {
    std::cout << "error load: " << first_line(error.what()) << std::endl;
    return 1;
  }
  std::cout << "ok load";
  for (const auto &name : host->methods) std::cout << " " << name;
  std::cout << std::endl;
  std::ifstream script(argv[2]);
  std::string line;
  while (std::getline(script, line)) {
    std::istringstream words(line);
    std::string command;
    if (!(words >> command)) continue;
    if (command == "sr") {
      int rate;
      words >> rate;
      host->sample_rate(rate);
    } else if (command == "set") {
      std::string name, value;
      std::vector<std::string> values;
      words >> name;
      while (words >> value) values.push_back(value);
      host->set(name, values);
    } else if (command == "call") {
      std::string method, in_path, out_path;
      int64_t batch, buffer;
      uint64_t seed;
      words >> method >> batch >> buffer >> seed >> in_path >> out_path;
      try {
        host->call(method, batch, buffer, seed, in_path, out_path);
      } catch (const std::exception &error) {  // unreadable input file, bad numbers: the script's fault
        std::cout << "error call " << method << ": " << first_line(error.what()) << std::endl;
      }
    } else {
      std::cout << "error unknown command " << command << std::endl;
    }
  }
  return 0;
}
