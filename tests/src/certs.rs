//! Certificates for one cluster, made with rcgen: a CA that signs both the serving certificate
//! (SANs 127.0.0.1 and localhost) and client certificates, and a ServiceAccount signing key.

use std::net::{IpAddr, Ipv4Addr};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};

/// PEM material for one cluster.
#[derive(Debug, Clone)]
pub struct ClusterCerts {
    /// The CA (serving and client) certificate.
    pub ca_pem: String,
    /// The API server's serving certificate and key.
    pub serving_cert_pem: String,
    pub serving_key_pem: String,
    /// An admin client certificate (`O=system:masters`).
    pub admin_cert_pem: String,
    pub admin_key_pem: String,
    /// The ServiceAccount token signing key (PKCS#8 PEM, ECDSA P-256).
    pub sa_key_pem: String,
    /// Its public key (PEM), which the API server verifies tokens with.
    pub sa_pub_pem: String,
}

/// Makes a fresh set of certificates for the cluster `name`.
pub fn generate(name: &str) -> anyhow::Result<ClusterCerts> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, format!("testenv-{name}-ca"));
    ca_params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

    let mut serving = CertificateParams::new(vec!["localhost".to_string(), "kubernetes".to_string()])?;
    serving.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    serving.distinguished_name.push(DnType::CommonName, format!("testenv-{name}-apiserver"));
    serving.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let serving_key = KeyPair::generate()?;
    let serving_cert = serving.signed_by(&serving_key, &ca)?;

    let mut admin = CertificateParams::new(Vec::<String>::new())?;
    admin.distinguished_name.push(DnType::CommonName, "testenv-admin");
    admin.distinguished_name.push(DnType::OrganizationName, "system:masters");
    admin.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let admin_key = KeyPair::generate()?;
    let admin_cert = admin.signed_by(&admin_key, &ca)?;

    let sa_key = KeyPair::generate()?;
    Ok(ClusterCerts {
        ca_pem: ca.pem(),
        serving_cert_pem: serving_cert.pem(),
        serving_key_pem: serving_key.serialize_pem(),
        admin_cert_pem: admin_cert.pem(),
        admin_key_pem: admin_key.serialize_pem(),
        sa_key_pem: sa_key.serialize_pem(),
        sa_pub_pem: sa_key.public_key_pem(),
    })
}
