fn main() {
    /* outer /* inner */
}
