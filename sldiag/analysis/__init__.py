"""The offline path end to end: inputs -> captures -> sections -> facts -> findings, for one
capture or many (in parallel), each input's failure kept to that input."""
