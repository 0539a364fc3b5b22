#include "core/fixed_order.hpp"

#include <algorithm>
#include <cassert>

#include "core/vector_clones.hpp"

namespace tiesim {

TIESIM_VECTOR_CLONES
void multiply_fixed_order(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, Eigen::MatrixXd& product) {
  assert(a.cols() == b.rows() && &product != &a && &product != &b);
  const Eigen::Index rows = a.rows(), inner = a.cols(), cols = b.cols();
  product.setZero(rows, cols);
  // four columns of the product at a time, so each column of `a` is read once per four: every entry
  // still adds its terms in the order of k. A term whose four factors from `b` are all 0 is skipped: adding
  // a finite a_ik · 0 = ±0 to a sum that started at +0 never changes its bits (round to nearest never gives
  // −0 from a sum that started at +0), and affect matrices are full of zeros.
  Eigen::Index j = 0;
  for (; j + 4 <= cols; j += 4) {
    double* c0 = product.col(j).data();
    double* c1 = product.col(j + 1).data();
    double* c2 = product.col(j + 2).data();
    double* c3 = product.col(j + 3).data();
    for (Eigen::Index k = 0; k < inner; ++k) {
      const double b0 = b(k, j), b1 = b(k, j + 1), b2 = b(k, j + 2), b3 = b(k, j + 3);
      if (b0 == 0 && b1 == 0 && b2 == 0 && b3 == 0) continue;
      const double* column = a.col(k).data();
      for (Eigen::Index i = 0; i < rows; ++i) {
        const double x = column[i];
        c0[i] += x * b0;
        c1[i] += x * b1;
        c2[i] += x * b2;
        c3[i] += x * b3;
      }
    }
  }
  for (; j < cols; ++j) {
    double* c = product.col(j).data();
    for (Eigen::Index k = 0; k < inner; ++k) {
      const double factor = b(k, j);
      if (factor == 0) continue;
      const double* column = a.col(k).data();
      for (Eigen::Index i = 0; i < rows; ++i) c[i] += column[i] * factor;
    }
  }
}

TIESIM_VECTOR_CLONES
void multiply_fixed_order(const Eigen::MatrixXd& a, const Eigen::VectorXd& x, Eigen::VectorXd& product) {
  assert(a.cols() == x.size() && &product != &x);
  product.setZero(a.rows());
  double* y = product.data();
  for (Eigen::Index k = 0; k < a.cols(); ++k) {
    const double factor = x(k);
    if (factor == 0) continue;
    const double* column = a.col(k).data();
    for (Eigen::Index i = 0; i < a.rows(); ++i) y[i] += column[i] * factor;
  }
}

}  // namespace tiesim
