#include <catch2/catch.hpp>

#include <random>

#include "core/fixed_order.hpp"

using namespace tiesim;

namespace {

/// A matrix of values in [−1, 1] with about `zeros` of its entries exactly 0, as affect matrices have.
Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, double zeros, std::uint32_t seed) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<double> value(-1.0, 1.0), coin(0.0, 1.0);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = coin(engine) < zeros ? 0.0 : value(engine);
  return m;
}

/// The definition, entry by entry: C_ij = (…((0 + A_i0 B_0j) + A_i1 B_1j) + …).
Eigen::MatrixXd naive_product(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd c(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      double sum = 0;
      for (Eigen::Index k = 0; k < a.cols(); ++k) sum += a(i, k) * b(k, j);
      c(i, j) = sum;
    }
  return c;
}

}  // namespace

TEST_CASE("the fixed-order product sums every entry in the order of k, bit for bit", "[core][fixed_order]") {
  // shapes with column counts that are and are not multiples of the four columns done at once, and operands
  // with and without zeros (skipped terms must not change a bit)
  for (const auto& [rows, inner, cols] : {std::tuple<int, int, int>{1, 1, 1}, {3, 5, 7}, {8, 8, 8}, {61, 47, 53}, {130, 129, 131}}) {
    for (double zeros : {0.0, 0.5, 0.95}) {
      INFO(rows << " x " << inner << " x " << cols << ", zeros " << zeros);
      const Eigen::MatrixXd a = random_matrix(rows, inner, zeros, 1), b = random_matrix(inner, cols, zeros, 2);
      Eigen::MatrixXd c;
      multiply_fixed_order(a, b, c);
      REQUIRE(c.rows() == rows);
      REQUIRE(c.cols() == cols);
      const Eigen::MatrixXd expected = naive_product(a, b);
      CHECK((c.array() == expected.array()).all());
      // and agrees with Eigen's product up to rounding
      CHECK((c - a * b).cwiseAbs().maxCoeff() <= 1e-12);
      // matrix times vector, column by column
      Eigen::VectorXd y;
      multiply_fixed_order(a, Eigen::VectorXd(b.col(0)), y);
      CHECK((y.array() == expected.col(0).array()).all());
    }
  }
}

TEST_CASE("the fixed-order product does not depend on the caller's Eigen settings", "[core][fixed_order]") {
  // Eigen blocks its own product by cache sizes that a caller may set process-wide; the library's products
  // must give the same bits whatever they are
  const Eigen::MatrixXd a = random_matrix(420, 420, 0.3, 3), b = random_matrix(420, 420, 0.3, 4);
  Eigen::MatrixXd first, second;
  Eigen::setCpuCacheSizes(32 * 1024, 1024 * 1024, 8 * 1024 * 1024);
  multiply_fixed_order(a, b, first);
  Eigen::setCpuCacheSizes(4 * 1024, 64 * 1024, 256 * 1024);
  multiply_fixed_order(a, b, second);
  CHECK((first.array() == second.array()).all());
  CHECK((first.array() == naive_product(a, b).array()).all());
}
