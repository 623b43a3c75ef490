//! placeholder: the endpoint → scope catalog (being written)
