import type { ISSUE_MESSAGES } from './en.js';

/** The analysis's messages in French (vous; a non-breaking space before : ; ? ! % and inside « »). */
export const ISSUES_FR: Record<keyof typeof ISSUE_MESSAGES, string> = {
  'check.content.empty': 'le message n’a ni partie HTML ni partie texte',
  'check.subject.empty': 'l’objet est vide',
  'check.subject.characters': 'l’objet contient des sauts de ligne ou des caractères de contrôle',
  'check.subject.length':
    'l’objet fait {length}\u00a0caractères\u00a0: les logiciels de bureau en affichent environ {shown}, les téléphones environ 35\u00a0; mettez l’essentiel en premier',
  'check.from.missing': 'aucune adresse d’expéditeur (From)',
  'check.from.invalid': 'l’adresse de l’expéditeur n’est pas valide\u00a0: {problem}',
  'check.replyTo.invalid': 'l’adresse Reply-To n’est pas valide\u00a0: {problem}',
  'check.from.name': 'le nom de l’expéditeur contient des caractères spéciaux (< > @ " ou de contrôle)',
  'check.from.dkim':
    'aucune clé DKIM n’est configurée pour le domaine de l’expéditeur ([[delivery.dkim]])\u00a0: les fournisseurs de messagerie exigent DKIM pour les envois en nombre',
  'check.unsubscribe.html':
    'un email marketing doit avoir un lien de désabonnement dans la partie HTML\u00a0: <a href="<%= links.unsubscribe %>">Se désabonner</a>',
  'check.unsubscribe.text': 'un email marketing doit avoir le lien de désabonnement dans la partie texte\u00a0: <%= links.unsubscribe %>',
  'check.text.missing': 'pas de partie texte\u00a0: les destinataires qui préfèrent le texte reçoivent la partie HTML',
  'check.text.generated': 'aucune partie texte n’a été écrite\u00a0: elle est générée à partir du HTML',
  'check.fields.custom': 'aucun destinataire n’a le ou les champs personnalisés {fields}\u00a0: ils s’afficheront vides',
  'check.fields.unknown': 'champ de personnalisation inconnu {field} (connus\u00a0: {known})',
  'check.fields.unknown_recipient':
    'champ de personnalisation inconnu {field} (connus\u00a0: {known})\u00a0; les champs personnalisés se lisent recipient.fields.<nom>',
  'check.images.alt':
    '{count}\u00a0image(s) sans texte alternatif ({images})\u00a0: les logiciels qui bloquent les images n’affichent rien à leur place et les lecteurs d’écran lisent le nom du fichier',
  'check.size.gmail':
    'la partie HTML pèse environ {kb}\u00a0Ko avec ses liens suivis\u00a0: Gmail tronque les messages de plus de {limit}\u00a0Ko et cache le reste, lien de désabonnement compris, derrière «\u00a0Afficher l’intégralité du message\u00a0»',
  'check.size.total': 'le message pèse environ {total}\u00a0Ko (HTML {html}\u00a0Ko, texte {text}\u00a0Ko)',
  'check.balance.images':
    'le HTML n’est presque que des images ({images}\u00a0image(s), {chars}\u00a0caractères de texte)\u00a0: les filtres antispam s’en méfient et les lecteurs qui bloquent les images ne voient presque rien',
  'check.balance.text':
    'la partie texte ({textChars}\u00a0caractères) en dit beaucoup moins que le HTML ({htmlChars}\u00a0caractères)\u00a0: laissez-la vide pour la générer à partir du HTML',
  'check.preheader.missing':
    'pas de pré-en-tête\u00a0: les boîtes de réception affichent les premiers mots du corps à côté de l’objet\u00a0; ajoutez <mj-preview> (MJML) ou une première ligne masquée',
  'check.footer.address':
    'le pied de page montre encore l’adresse postale d’exemple (1 Example Street)\u00a0: modifiez le bloc de contenu «\u00a0footer\u00a0», un email marketing doit montrer votre adresse postale',
  'check.sms.text': 'un SMS a besoin de son texte (la partie HTML n’est pas envoyée par SMS)',
  'check.sms.stop': 'un SMS marketing devrait dire comment ne plus en recevoir, par exemple «\u00a0STOP pour vous désabonner\u00a0»',
  'check.push.title': 'une notification push a besoin de son titre',
  'check.routing.provider': 'aucun [[routing.providers]] n’est configuré pour {channel}\u00a0: le fichier d’extraction n’aurait nulle part où aller',
  'check.validity.ended': 'la période de validité est déjà terminée',
  'check.validity.schedule': 'la date de contact est après la fin de la période de validité',
  'check.proof.size': 'un BAT part au plus à {max}\u00a0adresses ({count} données)',
  'check.headers.name': 'le contenu ne peut pas définir l’en-tête «\u00a0{name}\u00a0» (réservé ou nom d’en-tête non valide)',
  'check.blocks.unresolved': 'le contenu fait référence à des blocs de contenu qui n’ont pas été inclus (compilez-le d’abord)',
  'check.blocks.missing': 'il n’existe aucun bloc de contenu «\u00a0{name}\u00a0»',
  'check.blocks.format': 'le bloc «\u00a0{name}\u00a0» est en MJML et ne peut servir que dans un contenu MJML',
  'check.blocks.nested': 'le bloc «\u00a0{name}\u00a0» fait référence à un autre bloc\u00a0; un bloc ne peut pas inclure de blocs',
  'check.blocks.reference': 'une référence à un bloc s’écrit <herald-block name="…"></herald-block>',
  'check.landing.personalized':
    'une page d’atterrissage est la même pour tous les visiteurs\u00a0; elle ne peut pas contenir <% … %> (personnalisation, liens du destinataire)',
  'check.landing.form': 'il n’existe aucun formulaire «\u00a0{name}\u00a0» à intégrer\u00a0; utilisez <herald-form name="subscribe"></herald-form>',
  'check.context.tag': 'dans une balise, la personnalisation doit se trouver dans la valeur entre guillemets d’un attribut',
  'check.context.unquoted': 'mettez entre guillemets la valeur de l’attribut «\u00a0{name}\u00a0» quand elle contient de la personnalisation',
  'check.context.handler': 'la personnalisation n’est pas autorisée dans les gestionnaires d’événements («\u00a0{name}\u00a0»)',
  'check.context.style': 'la personnalisation n’est pas autorisée dans les attributs style',
  'check.context.srcset': 'la personnalisation n’est pas autorisée dans srcset (utilisez src)',
  'check.context.meta': 'la personnalisation n’est pas autorisée dans <meta content>',
  'check.context.element': 'la personnalisation n’est pas autorisée dans <{tag}>',
  'check.context.conditional': 'la personnalisation n’est pas autorisée dans un commentaire conditionnel',
  'check.context.declaration': 'la personnalisation n’est pas autorisée dans les déclarations',
  'check.context.end_tag': 'la personnalisation n’est pas autorisée dans une balise de fermeture',
  'check.mjml.include': '<mj-include> n’est pas autorisé\u00a0; utilisez un bloc de contenu',
  'check.mjml.dropped': 'MJML supprime {tag} ici (texte entre des sections ou des colonnes)\u00a0; placez-le dans <mj-raw> ou <mj-text>',
  'check.links.code': 'le code (<% %>) n’est pas autorisé dans un lien\u00a0; calculez la valeur avant le lien',
  'check.links.host':
    'la personnalisation n’est pas autorisée dans le schéma ou l’hôte d’un lien (les destinataires pourraient être envoyés vers un autre site)',
  'check.links.path': 'la personnalisation n’est autorisée que dans les valeurs des paramètres de requête, pas dans le chemin d’un lien',
  'check.links.fragment': 'la personnalisation n’est pas autorisée dans le #fragment d’un lien',
  'check.links.query_name': 'la personnalisation n’est pas autorisée dans les noms des paramètres de requête',
  'check.links.too_long': 'un lien suivi compte au plus {max} caractères\u00a0: {url}',
  'check.links.spaces': 'un lien ne doit contenir ni espaces ni caractères de contrôle (écrivez «\u00a0%20\u00a0»)\u00a0: {url}',
  'check.links.too_many_params': 'un lien suivi compte au plus {max} paramètres personnalisés\u00a0: {url}',
  'check.links.credentials': 'un lien suivi ne doit pas contenir d’identifiants\u00a0: {url}',
  'check.links.not_absolute': 'ce n’est pas un lien absolu valide\u00a0: {url}',
  'check.links.broken': 'le lien {url} ne répond pas\u00a0: {answer}',
  'check.links.image_broken': 'l’image {url} ne répond pas\u00a0: {answer}',
  'check.links.unchecked': '{count}\u00a0lien(s) n’ont pas été vérifiés (content.maxLinksChecked = {max})',
  'check.links.checked': '{count}\u00a0lien(s) et image(s) vérifiés, {failed} sans réponse',
  'check.spam.not_installed': 'pas de score de spam\u00a0: {path} n’est pas installé (paquet Debian spamassassin)',
  'check.spam.unreachable': 'pas de score de spam\u00a0: spamc n’a pas pu interroger spamd à {address} ({why})',
  'check.spam.high': 'SpamAssassin donne à ce message le score {score} (spam à partir de {threshold})\u00a0: revoyez ses images, ses liens et sa formulation',
  'check.spam.score': 'SpamAssassin donne à ce message le score {score} (spam à partir de {threshold})',
};
